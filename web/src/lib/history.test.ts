import { describe, expect, it } from "vitest";
import { type AuditEvent, chainState, histories, jsonLines, type SubmissionHistory } from "./history";

const USER = "u1";
const ASSIGNMENT = "a1";
let seq = 0;

function event(type: string, submission: string, extra: Record<string, unknown> = {}, verified = true): AuditEvent {
  seq += 1;
  return {
    seq,
    time: `2026-12-04T09:00:${String(seq).padStart(2, "0")}Z`,
    type,
    version: 1,
    subject: `events.submission.${USER}.${submission}`,
    payload: { submission_id: submission, user_id: USER, assignment_id: ASSIGNMENT, ...extra },
    integrity: { prev: "p", hash: "h", verified },
  };
}

describe("histories", () => {
  const events = [
    event("SubmissionCreated", "s1", { code: "def f():\n    return 1\n" }),
    event("SubmissionGraded", "s1", { attempt: 1, status: "failed" }),
    event("SubmissionCreated", "s2", { code: "def f():\n    return 2\n" }),
    event("SubmissionGraded", "s2", { attempt: 1, status: "passed" }),
    event("SubmissionRegradeRequested", "s2", { attempt: 2, requested_by: "operator" }),
    event("SubmissionGraded", "s2", { attempt: 2, status: "failed" }),
    event("SubmissionDeleted", "s1"),
  ];

  it("groups events by submission, in stream order", () => {
    const found = histories([...events].reverse());
    expect(found.map((h) => h.submissionId)).toEqual(["s1", "s2"]);
    expect(found[1]!.entries.map((e) => e.event.seq)).toEqual([3, 4, 5, 6]);
  });

  it("marks a verdict a re-grade replaced as superseded, and keeps it", () => {
    const second = histories(events)[1]!;
    const verdicts = second.entries.filter((e) => e.event.type === "SubmissionGraded");
    expect(verdicts.map((e) => [e.summary, e.superseded])).toEqual([
      ["Verdict: passed (attempt 1)", true],
      ["Verdict: failed (attempt 2)", false],
    ]);
  });

  it("diffs each attempt's code against the student's attempt before it", () => {
    const [first, second] = histories(events) as [SubmissionHistory, SubmissionHistory];
    expect(first.diff).toBeNull();
    expect(second.previousId).toBe("s1");
    expect(second.diff?.filter((l) => l.kind !== "same").map((l) => l.text)).toEqual([
      "    return 1",
      "    return 2",
    ]);
  });

  it("shows a deletion", () => {
    const first = histories(events)[0]!;
    expect(first.deleted).toBe(true);
    expect(first.entries.at(-1)?.summary).toBe("Deleted by the student");
  });
});

describe("chainState", () => {
  it("names the events whose chain fields do not verify", () => {
    const good = event("SubmissionCreated", "s9", { code: "" });
    const bad = event("SubmissionDeleted", "s9", {}, false);
    expect(chainState([good, bad])).toEqual({ verified: 1, failed: [bad.seq] });
  });
});

describe("jsonLines", () => {
  it("gives one event per line in stream order, each as the API gave it", () => {
    const a = event("SubmissionCreated", "s5", { code: "x" });
    const b = event("SubmissionDeleted", "s5");
    const lines = jsonLines([b, a]).split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line))).toEqual([a, b]);
  });
});
