// The course at a glance: every assignment with its state, attempts and points, from the
// assignments, the progress (what is solved) and the student's submissions.
import type { AssignmentSummary, Submission } from "./types";

export const POINTS_PER_SOLVED = 100; // the contract: 100 points per assignment solved

export type CourseState = "solved" | "attempted" | "not started";

export interface CourseRow {
  id: string;
  title: string;
  position: number;
  state: CourseState;
  attempts: number;
  points: number;
}

export function courseRows(
  assignments: AssignmentSummary[],
  completed: string[],
  submissions: Submission[],
): CourseRow[] {
  const solved = new Set(completed);
  const attempts = new Map<string, number>();
  for (const s of submissions) attempts.set(s.assignment_id, (attempts.get(s.assignment_id) ?? 0) + 1);
  return [...assignments]
    .sort((a, b) => a.position - b.position)
    .map((a) => {
      const tries = attempts.get(a.id) ?? 0;
      const state: CourseState = solved.has(a.id) ? "solved" : tries > 0 ? "attempted" : "not started";
      return {
        id: a.id,
        title: a.title,
        position: a.position,
        state,
        attempts: tries,
        points: state === "solved" ? POINTS_PER_SOLVED : 0,
      };
    });
}

export const STATE_LABEL: Record<CourseState, string> = {
  solved: "✓ Solved",
  attempted: "Attempted",
  "not started": "Not started",
};
