import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// Static pages (the student's four, the staff's /ops/ and /audit/); nginx serves /assignments/<id>/ with dist/assignments/index.html.
export default defineConfig({
  base: "/",
  plugins: [svelte()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        home: "index.html",
        assignment: "assignments/index.html",
        submissions: "submissions/index.html",
        course: "course/index.html",
        ops: "ops/index.html",
        audit: "audit/index.html",
      },
    },
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
