import { describe, expect, it } from "vitest";
import { keepDraft, keepRunInput, keptForUndo, opening, readDraft, readRunInput } from "./drafts";

class Memory implements Storage {
  items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe("drafts", () => {
  it("keeps what was typed per assignment and opens with it", () => {
    const store = new Memory();
    keepDraft("a", "print(1)", "starter", store, 1000);
    keepDraft("b", "print(2)", "starter", store, 2000);
    expect(opening("a", "starter", store)).toEqual({ code: "print(1)", restored: { code: "print(1)", savedAt: 1000 } });
    expect(opening("b", "starter", store).code).toBe("print(2)");
    expect(opening("c", "starter", store)).toEqual({ code: "starter", restored: null });
  });

  it("forgets a draft that is what the page shows anyway", () => {
    const store = new Memory();
    keepDraft("a", "typed", "last submitted", store);
    keepDraft("a", "last submitted", "last submitted", store);
    expect(readDraft("a", store)).toBeNull();
    store.setItem("grindstone_draft:a", JSON.stringify({ code: "same", savedAt: 1 }));
    expect(opening("a", "same", store).restored).toBeNull();
  });

  it("survives a broken, full or missing storage", () => {
    const store = new Memory();
    store.setItem("grindstone_draft:a", "{not json");
    expect(readDraft("a", store)).toBeNull();
    const full = new Memory();
    full.setItem = () => {
      throw new DOMException("full", "QuotaExceededError");
    };
    expect(() => keepDraft("a", "x", "y", full)).not.toThrow();
    expect(opening("a", "base", null)).toEqual({ code: "base", restored: null });
  });
});

describe("an explicit choice over typed code", () => {
  it("keeps the code typed and not submitted for Undo, and nothing else", () => {
    expect(keptForUndo("print(1)  # typed", "starter", "last")).toBe("print(1)  # typed");
    expect(keptForUndo("last", "starter", "last")).toBeNull(); // the last submission is not lost
    expect(keptForUndo("starter", "starter", "last")).toBeNull(); // nothing changes
  });
});

describe("a run's input", () => {
  it("is kept per assignment and read back", () => {
    const store = new Memory();
    keepRunInput("a", { stdin: "3 4\n", call: null }, null, store);
    keepRunInput("b", { stdin: "", call: "add(2, 3)" }, "add()", store);
    expect(readRunInput("a", store)).toEqual({ stdin: "3 4\n", call: null });
    expect(readRunInput("b", store)).toEqual({ stdin: "", call: "add(2, 3)" });
    expect(readRunInput("c", store)).toEqual({ stdin: "", call: null });
  });

  it("is none when nothing was typed beyond the prefill, and an emptied call is kept", () => {
    const store = new Memory();
    keepRunInput("a", { stdin: "x", call: "add()" }, "add()", store);
    expect(readRunInput("a", store)).toEqual({ stdin: "x", call: null }); // the prefill follows
    keepRunInput("a", { stdin: "", call: "add()" }, "add()", store);
    expect(store.items.size).toBe(0);
    keepRunInput("a", { stdin: "", call: "" }, "add()", store);
    expect(readRunInput("a", store)).toEqual({ stdin: "", call: "" });
  });

  it("is not kept when too long, and unreadable or blocked storage reads as none", () => {
    const store = new Memory();
    keepRunInput("a", { stdin: "x".repeat(64 * 1024 + 1), call: null }, null, store);
    expect(store.items.size).toBe(0);
    store.setItem("grindstone_run_input:a", "{not json");
    expect(readRunInput("a", store)).toEqual({ stdin: "", call: null });
    expect(readRunInput("a", null)).toEqual({ stdin: "", call: null });
  });
});
