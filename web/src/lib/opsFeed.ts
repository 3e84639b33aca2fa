// The /ops/ page's live list: every student's submissions, each kept once at its latest
// change, newest submission first, at most FEED_SHOWN of them.

import type { OpsSubmission, SystemState } from "./api-types";

export const FEED_SHOWN = 100;
export const POLL_MS = 2000; // GET /api/ops/submissions?after= this often
export const SUMMARY_MS = 5000; // GET /api/ops/summary this often

export function mergeFeed(shown: OpsSubmission[], changes: OpsSubmission[]): OpsSubmission[] {
  const byId = new Map(shown.map((s) => [s.id, s]));
  for (const change of changes) {
    const known = byId.get(change.id);
    if (!known || known.last_seq < change.last_seq) byId.set(change.id, change);
  }
  return [...byId.values()]
    .sort((x, y) => y.created_at.localeCompare(x.created_at) || y.id.localeCompare(x.id))
    .slice(0, FEED_SHOWN);
}

/** Jobs waiting for a grader: students' submissions, and re-grades on their own queue. */
export function queueDepth(system: SystemState): { students: number; regrades: number } {
  const regrades = system.streams.find((s) => s.name === "REGRADES")?.messages ?? 0;
  return { students: system.jobs_waiting, regrades };
}

export function graderSlots(system: SystemState): { alive: number; slots: number; busy: number } {
  return {
    alive: system.graders.length,
    slots: system.graders.reduce((sum, g) => sum + g.slots, 0),
    busy: system.graders.reduce((sum, g) => sum + g.busy, 0),
  };
}

export const percent = (rate: number | null): string =>
  rate === null ? "–" : `${Math.round(rate * 100)}%`;
