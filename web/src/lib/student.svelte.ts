// State every page shares: the student's points in the top bar and the live connection's note.

import { getProgress } from "./api";
import { LiveFeed, liveNote } from "./live";
import type { LiveMessage, Progress } from "./types";

export const student = $state<{ points: number | null; liveNote: string }>({
  points: null,
  liveNote: "",
});

export function showProgress(progress: Progress): void {
  student.points = progress.points;
}

/** Read the points again once the read models include stream seq `afterSeq`. */
export async function refreshPoints(afterSeq?: number): Promise<Progress | null> {
  try {
    const progress = await getProgress(afterSeq);
    showProgress(progress);
    return progress;
  } catch {
    return null; // the points stay as they were; the next update tries again
  }
}

/** Follow the student's submissions live; a pass refreshes the points wherever it happened. */
export function followLive(after: number, onMessage: (message: LiveMessage) => void): LiveFeed {
  return new LiveFeed({
    after,
    onMessage: (message) => {
      if (message.type === "submission.graded" && message.submission.status === "passed") {
        void refreshPoints(message.seq);
      }
      onMessage(message);
    },
    onState: (state, reason) => {
      student.liveNote = liveNote(state, reason);
    },
  });
}
