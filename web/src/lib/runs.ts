// Ungraded runs as the page follows them: the call a function assignment's field starts with,
// one run's state from the click to its output (the live message or a poll, whichever comes
// first), and what it gave back in sentences. A run is never a submission.

import { ApiError, sentenceFor } from "./api";
import type { LiveState } from "./live";
import type { LineMark } from "./feedback";
import type { Run, RunStatus } from "./types";

export const POLL_MS = 1_000; // a waiting run is read this often once the socket is slow or down
const SOCKET_GRACE_MS = 2_000; // while the socket is open, its message has this long first
export const GIVE_UP_MS = 60_000; // no answer by then: Run is offered again
const EARLY_KEPT = 5;

export type RunView =
  | { phase: "idle" }
  | { phase: "sending" }
  | { phase: "waiting"; id: string; status: RunStatus; since: number }
  | { phase: "done"; run: Run }
  | { phase: "refused"; sentence: string };

/** The view, plus runs that finished while their POST had not answered yet (a quick run's
 * live message can overtake the 202). */
export interface RunTracker {
  view: RunView;
  early: Run[];
}

export const idle: RunTracker = { view: { phase: "idle" }, early: [] };

export const inFlight = (view: RunView): boolean => view.phase === "sending" || view.phase === "waiting";

/** Run pressed: the POST is on its way. */
export function sending(_: RunTracker): RunTracker {
  return { view: { phase: "sending" }, early: [] };
}

/** The POST answered with the run's id. */
export function accepted(tracker: RunTracker, id: string, now: number): RunTracker {
  if (tracker.view.phase !== "sending") return tracker;
  const finished = tracker.early.find((run) => run.id === id);
  if (finished) return { view: { phase: "done", run: finished }, early: [] };
  return { view: { phase: "waiting", id, status: "pending", since: now }, early: [] };
}

/** A run read by a poll or pushed live; anything but the run waited for changes nothing. */
export function observed(tracker: RunTracker, run: Run): RunTracker {
  const { view } = tracker;
  if (view.phase === "sending" && run.status === "finished") {
    return { view, early: [run, ...tracker.early].slice(0, EARLY_KEPT) };
  }
  if (view.phase !== "waiting" || view.id !== run.id) return tracker;
  if (run.status === "finished") return { view: { phase: "done", run }, early: [] };
  if (view.status === "running") return tracker; // a late poll never moves it back to pending
  return { ...tracker, view: { ...view, status: run.status } };
}

export function refused(_: RunTracker, sentence: string): RunTracker {
  return { view: { phase: "refused", sentence }, early: [] };
}

/** Why a run was refused, as a sentence; a 429 always says when to try again. */
export function refusalSentence(problem: unknown): string {
  const sentence = sentenceFor(problem);
  if (!(problem instanceof ApiError) || problem.status !== 429 || problem.retryAfter == null) {
    return sentence;
  }
  if (/\d/.test(sentence)) return sentence; // the server's own sentence says when
  const seconds = problem.retryAfter;
  return `${sentence} You can run again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

/** A wait with no answer for a minute ends, so the student can try again. */
export function overdue(tracker: RunTracker, now: number): RunTracker {
  const { view } = tracker;
  if (view.phase !== "waiting" || now - view.since < GIVE_UP_MS) return tracker;
  return refused(tracker, "No result after a minute: the sandboxes may be busy. Try again in a moment.");
}

/** How long a waiting run goes unread: with the socket open, its live message comes first. */
export function pollDelay(live: LiveState, polls: number): number {
  return live === "open" && polls === 0 ? SOCKET_GRACE_MS : POLL_MS;
}

/** What the Call field starts with: the handout's first example call of the entry point
 * (`>>> add(2, 3)`), else the bare call `add()`. */
export function callPrefill(entryPoint: string, handout: string): string {
  const name = entryPoint.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const example = new RegExp(`^\\s*>>>\\s*(${name}\\(.*\\))\\s*$`, "m").exec(handout);
  return example?.[1] ?? `${entryPoint}()`;
}

const LIMITS: Record<string, string> = {
  wall: "it ran longer than the time limit allows",
  cpu: "it used more processor time than the limit allows",
  memory: "it used more memory than the limit allows",
  output: "it printed more than the limit allows",
  file: "it wrote a larger file than the limit allows",
};

/** Why a run was stopped, as a sentence; "" when no limit stopped it. */
export function limitSentence(limit: string | null | undefined): string {
  if (!limit) return "";
  return `Stopped: ${LIMITS[limit] ?? `it reached a limit (${limit})`}.`;
}

/** The status line's words for the run on show. */
export function statusText(view: RunView): string {
  if (view.phase === "sending" || view.phase === "waiting") return "Running…";
  if (view.phase === "refused") return "Not run.";
  if (view.phase === "idle") return "Nothing run yet.";
  const { run } = view;
  const took = run.time_ms == null ? "" : `: ran in ${run.time_ms} ms`;
  if (run.limit) return `Stopped by a limit${took}.`;
  if (run.error) {
    const where = run.error.line == null ? "" : ` on line ${run.error.line}`;
    return `Ended with an error${where}${took}.`;
  }
  return `Finished${took}.`;
}

/** The editor's marks with the run's error line added (its message joined to any there). */
export function withRunMark(marks: LineMark[], view: RunView): LineMark[] {
  const error = view.phase === "done" ? view.run.error : null;
  if (!error || error.line == null || error.line < 1) return marks;
  const said = `Your run: ${error.error}`;
  const others = marks.filter((m) => m.line !== error.line);
  const same = marks.find((m) => m.line === error.line);
  const mark = { line: error.line, message: same ? `${same.message}\n${said}` : said };
  return [...others, mark].sort((a, b) => a.line - b.line);
}
