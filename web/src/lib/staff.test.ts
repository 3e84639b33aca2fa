import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import { forgetToken, keepToken, refusal, roleOf, storedToken } from "./staff";

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const STUDENT = "student.6f1d3a0c-2b7e-4f4a-9c58-1d2e3f4a5b6c.1893456000.c2ln";

describe("the staff token", () => {
  it("is kept trimmed in the tab's storage and forgotten on sign-out", () => {
    const storage = new MemoryStorage() as unknown as Storage;
    expect(storedToken(storage)).toBeNull();
    keepToken(`  ${STUDENT}\n`, storage);
    expect(storedToken(storage)).toBe(STUDENT);
    forgetToken(storage);
    expect(storedToken(storage)).toBeNull();
  });

  it("names its role by its first part", () => {
    expect(roleOf(STUDENT)).toBe("student");
    expect(roleOf("not a token")).toBeNull();
  });
});

describe("refusal", () => {
  it("tells a student's token apart from an invalid one", () => {
    const forbidden = new ApiError(403, "forbidden", "This needs the auditor role.");
    expect(refusal(forbidden, "auditor", STUDENT)).toBe(
      "This page is for auditors only: the token you signed in with is a student's. Sign in with an auditor's token (`grindstone token --role auditor`).",
    );
    const expired = new ApiError(401, "unauthorized", "Sign in first");
    expect(refusal(expired, "operator", STUDENT)).toContain("not valid or has expired");
  });

  it("leaves other failures to the page", () => {
    expect(refusal(new ApiError(503, "unavailable", "later"), "operator", STUDENT)).toBeNull();
    expect(refusal(new Error("x"), "operator", STUDENT)).toBeNull();
  });
});
