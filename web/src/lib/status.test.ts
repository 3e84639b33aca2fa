import { describe, expect, it } from "vitest";
import {
  alertOver,
  everSolved,
  isFinal,
  newer,
  outcomeLabel,
  statusLabel,
  testLabel,
  testSummary,
} from "./status";
import { applyMessage, merge } from "./submissionList";
import type { LiveMessage, Submission } from "./types";

const submission = (over: Partial<Submission>): Submission => ({
  id: "s1",
  assignment_id: "a1",
  code: "print(1)",
  status: "pending",
  feedback: null,
  created_at: "2025-01-01T10:00:00Z",
  graded_at: null,
  last_seq: 1,
  ...over,
});

const message = (type: LiveMessage["type"], s: Submission): LiveMessage => ({
  type,
  submission: s,
  seq: s.last_seq ?? 0,
});

describe("statuses", () => {
  it("names every status in words that include the status", () => {
    for (const status of ["pending", "grading", "passed", "failed", "error"]) {
      expect(statusLabel(status).text.toLowerCase()).toContain(status);
    }
    expect(isFinal("grading")).toBe(false);
    expect(isFinal("error")).toBe(true);
  });

  it("never lets an older view overwrite a newer one", () => {
    const graded = submission({ status: "passed", last_seq: 9 });
    const stale = submission({ status: "grading", last_seq: 7 });
    expect(newer(graded, stale)).toBe(graded);
    expect(newer(stale, graded)).toBe(graded);
    expect(newer(undefined, stale)).toBe(stale);
  });

  it("labels tests and counts the passed ones", () => {
    expect(testLabel("test_adds_two_numbers")).toBe("adds two numbers");
    expect(testLabel("test")).toBe("test");
    expect(outcomeLabel("skipped")).toBe("– not run");
    expect(testSummary([{ outcome: "passed" }, { outcome: "failed" }])).toBe("1 of 2 tests passed");
    expect(testSummary([])).toBeNull();
  });
});

describe("the submission list", () => {
  it("goes pending -> grading -> passed as messages arrive, in any order", () => {
    let list = applyMessage([], message("submission.created", submission({})));
    const graded = submission({ status: "passed", last_seq: 3 });
    list = applyMessage(list, message("submission.graded", graded));
    list = applyMessage(list, message("submission.grading", submission({ status: "grading", last_seq: 2 })));
    expect(list).toEqual([graded]);
  });

  it("puts new submissions first and drops deleted ones", () => {
    const old = submission({ id: "old", created_at: "2025-01-01T09:00:00Z" });
    const fresh = submission({ id: "new", created_at: "2025-01-01T11:00:00+00:00" });
    let list = merge([old], []);
    list = applyMessage(list, message("submission.created", fresh));
    expect(list.map((s) => s.id)).toEqual(["new", "old"]);
    list = applyMessage(list, message("submission.deleted", old));
    expect(list.map((s) => s.id)).toEqual(["new"]);
  });

  it("leaves out other assignments, and status changes of submissions not on show", () => {
    const other = submission({ id: "x", assignment_id: "a2" });
    expect(applyMessage([], message("submission.created", other), (s) => s.assignment_id === "a1")).toEqual([]);
    expect(applyMessage([], message("submission.graded", submission({ status: "failed" })))).toEqual([]);
  });
});

describe("states that tell the truth", () => {
  it("ends the still-waiting alert once the newest attempt has its verdict", () => {
    expect(alertOver("submission_pending", { status: "grading" })).toBe(false);
    expect(alertOver("submission_pending", null)).toBe(false);
    expect(alertOver("submission_pending", { status: "failed" })).toBe(true);
    expect(alertOver("too_large", { status: "passed" })).toBe(false); // other alerts stay
  });

  it("keeps Solved after a later failure", () => {
    expect(everSolved(false, [{ status: "failed" }, { status: "passed" }])).toBe(true);
    expect(everSolved(true, [{ status: "failed" }])).toBe(true);
    expect(everSolved(false, [{ status: "failed" }, { status: "grading" }])).toBe(false);
  });
});
