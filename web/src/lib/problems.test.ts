import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { pageProblem } from "./problems";

describe("a page's problem", () => {
  it("calls an unknown or malformed id a missing thing, in plain words", () => {
    for (const status of [404, 422, 400]) {
      const shown = pageProblem(new ApiError(status, "x", "`assignment_id` must be an assignment id (a UUID)"), "assignment");
      expect(shown).toMatchObject({ title: "This assignment does not exist", retry: false });
      expect(shown.sentence).not.toMatch(/UUID|assignment_id/);
    }
  });

  it("offers to try again when the server or the network is lost", () => {
    for (const status of [0, 502, 503, 504]) {
      expect(pageProblem(new ApiError(status, "x", "y"), "assignment")).toMatchObject({
        title: "Grindstone cannot be reached",
        retry: true,
      });
    }
  });

  it("owns up to a server error, and to anything else thrown", () => {
    expect(pageProblem(new ApiError(500, "x", "y"), "assignment").title).toBe("Something went wrong on our side");
    expect(pageProblem(new TypeError("boom"), "page").retry).toBe(true);
  });
});
