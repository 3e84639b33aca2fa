// State every page shares: the student's points in the top bar and the live connection's note.

import { getProgress } from "./api";
import { LiveFeed, type LiveState, liveNote } from "./live";
import type { LiveMessage, Progress, Run } from "./types";

export const student = $state<{ points: number | null; liveNote: string; live: LiveState }>({
  points: null,
  liveNote: "",
  live: "connecting",
});

export function showProgress(progress: Progress): void {
  student.points = progress.points;
}

let progressRead: { afterSeq: number; reading: Promise<Progress> } | null = null;

/** The progress once the read models include stream seq `afterSeq`: one request however many
 * ask (a pass seen live refreshes the points, and the page showing it asks where to go next). */
export function progressAfter(afterSeq: number): Promise<Progress> {
  if (progressRead?.afterSeq !== afterSeq) {
    const reading = getProgress(afterSeq);
    progressRead = { afterSeq, reading };
    reading.catch(() => {
      if (progressRead?.reading === reading) progressRead = null; // the next ask tries again
    });
  }
  return progressRead.reading;
}

/** Read the points again once the read models include stream seq `afterSeq`. */
export async function refreshPoints(afterSeq: number): Promise<Progress | null> {
  try {
    const progress = await progressAfter(afterSeq);
    showProgress(progress);
    return progress;
  } catch {
    return null; // the points stay as they were; the next update tries again
  }
}

/** Follow the student's submissions (and runs, for `onRun`) live; a pass refreshes the points
 * wherever it happened. */
export function followLive(
  after: number,
  onMessage: (message: LiveMessage) => void,
  onRun?: (run: Run) => void,
): LiveFeed {
  return new LiveFeed({
    after,
    onRun,
    onMessage: (message) => {
      if (message.type === "submission.graded" && message.submission.status === "passed") {
        void refreshPoints(message.seq);
      }
      onMessage(message);
    },
    onState: (state, reason) => {
      student.live = state;
      student.liveNote = liveNote(state, reason);
    },
  });
}
