// A feedback as the page shows it: a load error once (also from feedback stored before it had
// its own field, when every test repeated it), the tests that ran (failures first), the tests
// not run grouped by why, and the student's lines it names (marked in the editor).

import type { CodeError } from "./api-types";
import { testLabel } from "./status";
import type { Feedback, TestFeedback } from "./types";

export const NOT_LOADED = "Not run: your code could not be loaded.";

export type NotRun = { message: string; names: string[] };
export type LineMark = { line: number; message: string };
export type ShownFeedback = { loadError: CodeError | null; ran: TestFeedback[]; notRun: NotRun[] };

export function showFeedback(feedback: Feedback): ShownFeedback {
  const tests = feedback.tests ?? [];
  const ran = tests
    .filter((t) => t.outcome !== "skipped")
    .sort((a, b) => Number(a.outcome === "passed") - Number(b.outcome === "passed"));
  const notRun: NotRun[] = [];
  for (const test of tests.filter((t) => t.outcome === "skipped")) {
    const message = test.message || "Not run.";
    const group = notRun.find((g) => g.message === message);
    if (group) group.names.push(test.name);
    else notRun.push({ message, names: [test.name] });
  }
  return { loadError: loadError(feedback), ran, notRun };
}

function loadError(feedback: Feedback): CodeError | null {
  if (feedback.load_error) return feedback.load_error;
  const told = feedback.tests?.find((t) => t.outcome === "skipped" && t.message === NOT_LOADED && t.error);
  return told ? { error: told.error!, line: told.line, source_line: told.source_line } : null;
}

/** The student's lines a feedback names, each with what it says about it. */
export function markedLines(feedback: Feedback | null | undefined): LineMark[] {
  if (!feedback) return [];
  const { loadError: error, ran } = showFeedback(feedback);
  const marks = new Map<number, string[]>();
  const add = (line: number | null | undefined, message: string) => {
    if (line == null || line < 1) return;
    const said = marks.get(line) ?? [];
    if (!said.includes(message)) said.push(message);
    marks.set(line, said);
  };
  if (error) add(error.line, error.error);
  for (const test of ran) {
    if (test.outcome !== "passed") add(test.line, `${testLabel(test.name)}: ${test.error ?? test.message ?? ""}`);
  }
  return [...marks].sort(([a], [b]) => a - b).map(([line, said]) => ({ line, message: said.join("\n") }));
}
