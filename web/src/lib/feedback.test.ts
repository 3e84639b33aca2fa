import { describe, expect, it } from "vitest";
import { markedLines, NOT_LOADED, showFeedback } from "./feedback";
import type { Feedback } from "./types";

const syntax = { error: "SyntaxError: invalid syntax", line: 2, source_line: "return a +" };

describe("showFeedback", () => {
  it("tells a load error once and groups the tests it stopped", () => {
    const feedback: Feedback = {
      message: "SyntaxError on line 2: invalid syntax",
      load_error: syntax,
      tests: ["test_a", "test_b", "test_c"].map((name) => ({ name, outcome: "skipped", message: NOT_LOADED })),
    };
    const shown = showFeedback(feedback);
    expect(shown.loadError).toEqual(syntax);
    expect(shown.ran).toEqual([]);
    expect(shown.notRun).toEqual([{ message: NOT_LOADED, names: ["test_a", "test_b", "test_c"] }]);
  });

  it("finds the load error in feedback stored when every test repeated it", () => {
    const old: Feedback = {
      message: "SyntaxError on line 2: invalid syntax",
      tests: ["test_a", "test_b"].map((name) => ({ name, outcome: "skipped", message: NOT_LOADED, ...syntax })),
    };
    expect(showFeedback(old).loadError).toEqual(syntax);
  });

  it("puts failures first", () => {
    const feedback: Feedback = {
      message: "1 of 2 tests failed: test_b.",
      tests: [
        { name: "test_a", outcome: "passed" },
        { name: "test_b", outcome: "failed" },
      ],
    };
    expect(showFeedback(feedback).ran.map((t) => t.name)).toEqual(["test_b", "test_a"]);
  });
});

describe("markedLines", () => {
  it("marks the load error's line and each failed test's line once", () => {
    const feedback: Feedback = {
      message: "2 of 3 tests failed: test_a, test_b.",
      tests: [
        { name: "test_a", outcome: "failed", line: 4, error: "ZeroDivisionError: division by zero" },
        { name: "test_b", outcome: "failed", line: 4, error: "ZeroDivisionError: division by zero" },
        { name: "test_c", outcome: "passed", line: 9 },
      ],
    };
    expect(markedLines(feedback)).toEqual([
      { line: 4, message: "a: ZeroDivisionError: division by zero\nb: ZeroDivisionError: division by zero" },
    ]);
    expect(markedLines({ message: "", load_error: syntax })).toEqual([{ line: 2, message: syntax.error }]);
    expect(markedLines(null)).toEqual([]);
  });
});
