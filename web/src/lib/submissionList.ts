// The student's submissions, newest first, as HTTP pages and live messages change them.

import { newer } from "./status";
import type { LiveMessage, Submission } from "./types";

const byNewest = (a: Submission, b: Submission): number =>
  Date.parse(b.created_at) - Date.parse(a.created_at) || b.id.localeCompare(a.id);

/** Add or update submissions (keeping the newer view of each), newest first. */
export function merge(list: readonly Submission[], incoming: readonly Submission[]): Submission[] {
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const submission of incoming) byId.set(submission.id, newer(byId.get(submission.id), submission));
  return [...byId.values()].sort(byNewest);
}

/**
 * The list after one live message. `accepts` says which submissions belong in this list
 * (say, one assignment's); a deleted one leaves it. A status change of a submission not on
 * show (an older page not loaded yet) is left for that page's read.
 */
export function applyMessage(
  list: readonly Submission[],
  message: LiveMessage,
  accepts: (submission: Submission) => boolean = () => true,
): Submission[] {
  const { submission } = message;
  if (message.type === "submission.deleted") return list.filter((s) => s.id !== submission.id);
  const known = list.some((s) => s.id === submission.id);
  if (!accepts(submission) || (!known && message.type !== "submission.created")) return [...list];
  return merge(list, [submission]);
}
