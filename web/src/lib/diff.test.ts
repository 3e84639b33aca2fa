import { describe, expect, it } from "vitest";
import { diffCounts, diffLines, MAX_DIFF_CELLS } from "./diff";

const kinds = (before: string, after: string) =>
  diffLines(before, after).map((line) => `${{ same: " ", removed: "-", added: "+" }[line.kind]}${line.text}`);

describe("diffLines", () => {
  it("keeps equal texts as they are", () => {
    expect(kinds("a\nb\n", "a\nb\n")).toEqual([" a", " b"]);
  });

  it("shows a changed line as removed then added, between what is kept", () => {
    expect(kinds("def f():\n    return 1\n", "def f():\n    return 2\n")).toEqual([
      " def f():",
      "-    return 1",
      "+    return 2",
    ]);
  });

  it("finds the lines kept in the middle of several changes", () => {
    expect(kinds("a\nx\nb\ny\nc", "a\nb\nz\nc")).toEqual([" a", "-x", " b", "-y", "+z", " c"]);
  });

  it("treats a missing final newline as the same line", () => {
    expect(kinds("a\nb", "a\nb\n")).toEqual([" a", " b"]);
  });

  it("diffs from and to nothing", () => {
    expect(kinds("", "a\nb")).toEqual(["+a", "+b"]);
    expect(kinds("a", "")).toEqual(["-a"]);
    expect(kinds("", "")).toEqual([]);
  });

  it("gives up searching past its limit but still shows every line", () => {
    const side = Math.ceil(Math.sqrt(MAX_DIFF_CELLS)) + 1;
    const a = Array.from({ length: side }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: side }, (_, i) => (i % 2 ? `a${i}` : `b${i}`)).join("\n");
    const diff = diffLines(a, b);
    expect(diffCounts(diff)).toEqual({ removed: side, added: side });
  });

  it("counts what changed", () => {
    expect(diffCounts(diffLines("a\nb\nc", "a\nc\nd\ne"))).toEqual({ removed: 1, added: 2 });
  });
});
