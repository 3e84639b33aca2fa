// An auditor's view of stored events (GET /api/audit/events): each submission's history in
// stream order, its code diffed against the student's attempt before it on the same
// assignment, verdicts superseded by later ones marked, and the events as JSON Lines.

import type { AuditEvent } from "./api-types";
import { type DiffLine, diffLines } from "./diff";

export type { AuditEvent };

type Payload = Record<string, unknown>;

export type Entry = {
  event: AuditEvent;
  summary: string; // one line: what happened
  superseded: boolean; // a verdict a later verdict or cancellation replaced
};

export type SubmissionHistory = {
  submissionId: string;
  userId: string;
  assignmentId: string;
  code: string | null; // null when its SubmissionCreated is not among the events
  diff: DiffLine[] | null; // against the student's previous submission to the assignment
  previousId: string | null;
  entries: Entry[];
  deleted: boolean;
};

/** The payload as an object (the API gives null when the stored bytes are not one). */
export function payloadOf(event: AuditEvent): Payload | null {
  const payload = event.payload;
  return typeof payload === "object" && payload !== null ? (payload as Payload) : null;
}

const text = (payload: Payload | null | undefined, name: string): string | null => {
  const value = payload?.[name];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : null;
};

function summary(event: AuditEvent): string {
  const p = payloadOf(event);
  const attempt = text(p, "attempt");
  switch (event.type) {
    case "SubmissionCreated": {
      const reused = p?.reused as Payload | null | undefined;
      const verdict = reused ? text(reused, "status") : null;
      return verdict ? `Submitted; an identical earlier submission's verdict, ${verdict}, reused` : "Submitted";
    }
    case "SubmissionGradingStarted":
      return `Grading started (attempt ${attempt}) by ${text(p, "grader_id") ?? "a grader"}`;
    case "SubmissionGraded":
      return `Verdict: ${text(p, "status")} (attempt ${attempt})${p?.deleted ? ", after its deletion" : ""}`;
    case "SubmissionRegradeRequested":
      return `Re-grade requested (attempt ${attempt}) by ${text(p, "requested_by") ?? "an operator"}`;
    case "SubmissionRegradeCancelled":
      return `Re-grade cancelled (attempt ${attempt}); the verdict ${text(p, "status")} stands again`;
    case "SubmissionDeleted":
      return "Deleted by the student";
    default:
      return event.type;
  }
}

/** The events' submissions, oldest first, each with its entries in stream order. */
export function histories(events: AuditEvent[]): SubmissionHistory[] {
  const ordered = [...events].sort((x, y) => x.seq - y.seq);
  const bySubmission = new Map<string, SubmissionHistory>();
  for (const event of ordered) {
    const id = text(payloadOf(event), "submission_id");
    if (!id) continue;
    let history = bySubmission.get(id);
    if (!history) {
      history = {
        submissionId: id,
        userId: text(payloadOf(event), "user_id") ?? "",
        assignmentId: text(payloadOf(event), "assignment_id") ?? "",
        code: null,
        diff: null,
        previousId: null,
        entries: [],
        deleted: false,
      };
      bySubmission.set(id, history);
    }
    if (event.type === "SubmissionCreated") history.code = text(payloadOf(event), "code");
    if (event.type === "SubmissionDeleted") history.deleted = true;
    history.entries.push({ event, summary: summary(event), superseded: false });
  }
  const all = [...bySubmission.values()];
  for (const history of all) markSuperseded(history.entries);
  diffAttempts(all);
  return all;
}

/** A verdict is superseded by any later verdict (a re-grade's) or cancellation that carries one. */
function markSuperseded(entries: Entry[]): void {
  let last: Entry | null = null;
  for (const entry of entries) {
    const type = entry.event.type;
    if (type === "SubmissionGraded" || type === "SubmissionRegradeCancelled") {
      if (last) last.superseded = true;
      last = entry;
    }
  }
}

/** Each submission's code against the same student's previous one on the same assignment. */
function diffAttempts(all: SubmissionHistory[]): void {
  const previous = new Map<string, SubmissionHistory>();
  for (const history of all) {
    const key = `${history.userId}/${history.assignmentId}`;
    const before = previous.get(key);
    if (before && before.code !== null && history.code !== null) {
      history.diff = diffLines(before.code, history.code);
      history.previousId = before.submissionId;
    }
    if (history.code !== null) previous.set(key, history);
  }
}

/** Whether every event's chain fields verify, and the seqs of those that do not. */
export function chainState(events: AuditEvent[]): { verified: number; failed: number[] } {
  const failed = events.filter((e) => !e.integrity.verified).map((e) => e.seq);
  return { verified: events.length - failed.length, failed };
}

/** The events as JSON Lines, in stream order: one stored event per line, as the API gave it. */
export function jsonLines(events: AuditEvent[]): string {
  return [...events]
    .sort((x, y) => x.seq - y.seq)
    .map((event) => `${JSON.stringify(event)}\n`)
    .join("");
}
