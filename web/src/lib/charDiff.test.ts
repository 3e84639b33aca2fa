import { describe, expect, it } from "vitest";
import { diffChars, isLong, MAX_CHAR_CELLS, visible, whitespaceChanged } from "./charDiff";

const marked = (pieces: { text: string; changed: boolean }[]) =>
  pieces.map((p) => (p.changed ? `[${p.text}]` : p.text)).join("");

describe("diffChars", () => {
  it("marks the one missing character", () => {
    const diff = diffChars("Hello, Grindstone!\n", "Hello, Grindstone\n");
    expect(marked(diff.expected)).toBe("Hello, Grindstone[!]\n");
    expect(marked(diff.actual)).toBe("Hello, Grindstone\n");
  });

  it("marks changes in the middle on both sides", () => {
    const diff = diffChars("[1, 2, 3]", "[1, 5, 3, 4]");
    expect(marked(diff.expected)).toBe("[1, [2], 3]");
    expect(marked(diff.actual)).toBe("[1, [5], 3[, 4]]");
  });

  it("marks a whitespace-only difference and says so", () => {
    const diff = diffChars("a b\n", "a  b\r\n");
    expect(marked(diff.actual)).toBe("a [ ]b[\r]\n");
    expect(whitespaceChanged(diff)).toBe(true);
    expect(whitespaceChanged(diffChars("ab", "ac"))).toBe(false);
  });

  it("counts an emoji as one character", () => {
    expect(marked(diffChars("a😀", "a😁").actual)).toBe("a[😁]");
  });

  it("marks the whole middle of texts too long to search", () => {
    const long = "x".repeat(Math.sqrt(MAX_CHAR_CELLS) + 10);
    const diff = diffChars(`a${long}b`, `a${long.replace(/x/g, "y")}b`);
    expect(diff.actual.map((p) => p.changed)).toEqual([false, true, false]);
  });
});

describe("visible", () => {
  it("shows spaces, tabs and line ends", () => {
    expect(visible(" \t\r\n")).toBe("·→␍↵\n");
  });
});

describe("isLong", () => {
  it("folds long texts and many lines", () => {
    expect(isLong("I".repeat(340))).toBe(true);
    expect(isLong("a\n".repeat(9))).toBe(true);
    expect(isLong("short")).toBe(false);
    expect(isLong(null)).toBe(false);
  });
});
