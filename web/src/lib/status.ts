// Submission statuses as words (never colour alone), and which update of a submission wins.

import type { Status, Submission } from "./types";

export const FINAL: ReadonlySet<string> = new Set(["passed", "failed", "error"]);

export const isFinal = (status: string): boolean => FINAL.has(status);

const LABELS: Record<Status, { icon: string; text: string }> = {
  pending: { icon: "…", text: "Pending: waiting for a grader" },
  grading: { icon: "…", text: "Grading your code" },
  passed: { icon: "✓", text: "Passed" },
  failed: { icon: "✗", text: "Failed" },
  error: { icon: "!", text: "Error: your code could not be graded" },
};

export function statusLabel(status: string): { icon: string; text: string } {
  return LABELS[status as Status] ?? { icon: "?", text: status };
}

/**
 * Which of two views of the same submission is newer: the one from the later stream seq.
 * HTTP reads and live messages can arrive in any order; an older one never overwrites.
 */
export function newer(current: Submission | undefined, incoming: Submission): Submission {
  if (!current) return incoming;
  const had = current.last_seq ?? -1;
  const got = incoming.last_seq ?? -1;
  return got >= had ? incoming : current;
}

/** "test_adds_two_numbers" -> "adds two numbers" (the grader reports test function names). */
export function testLabel(name: string): string {
  const words = name.replace(/^test_?/, "").replace(/_/g, " ").trim();
  return words || name;
}

const OUTCOMES: Record<string, string> = {
  passed: "✓ passed",
  failed: "✗ failed",
  error: "! error",
  skipped: "– not run",
};

export const outcomeLabel = (outcome: string): string => OUTCOMES[outcome] ?? outcome;

/** "2 of 5 tests passed" from a feedback's tests, or null when it lists none. */
export function testSummary(tests: { outcome: string }[] | undefined): string | null {
  if (!tests?.length) return null;
  const passed = tests.filter((t) => t.outcome === "passed").length;
  return `${passed} of ${tests.length} test${tests.length === 1 ? "" : "s"} passed`;
}

/** Whether an alert about code `errorCode` is over: the "still waiting" 409 (submission_pending)
 * ends once the newest attempt has its verdict. Other alerts stay until the next Submit. */
export function alertOver(errorCode: string, newest: Pick<Submission, "status"> | null): boolean {
  return errorCode === "submission_pending" && newest !== null && isFinal(newest.status);
}

/** "Solved" is kept: true once the progress lists the assignment or any attempt passed,
 * whatever later attempts do. */
export function everSolved(wasSolved: boolean, attempts: Pick<Submission, "status">[]): boolean {
  return wasSolved || attempts.some((a) => a.status === "passed");
}
