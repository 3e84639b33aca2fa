// Drafts: what the student types on an assignment is kept in this browser (localStorage) at
// once, per assignment, and put back on reload or return; nothing typed is lost. A draft equal
// to what the page would show anyway (the last submission's code, or the starter) is none.
// A run's input (stdin, the call) is kept the same way.

const PREFIX = "grindstone_draft:";
const MAX_CHARS = 64 * 1024; // a submission's limit: a longer text is not kept

export interface Draft {
  code: string;
  savedAt: number; // ms since the epoch
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null; // absent outside browsers; may throw when blocked
  } catch {
    return null;
  }
}

/** The draft kept for this assignment, if any readable one is. */
export function readDraft(assignmentId: string, store: Storage | null = storage()): Draft | null {
  try {
    const found = JSON.parse(store?.getItem(PREFIX + assignmentId) ?? "null") as Draft | null;
    return found && typeof found.code === "string" && typeof found.savedAt === "number" ? found : null;
  } catch {
    return null;
  }
}

/** Keep `code` as this assignment's draft; `base` (what the page shows without a draft)
 * is not a draft, so keeping it forgets the draft. Storage full or blocked: best effort. */
export function keepDraft(
  assignmentId: string,
  code: string,
  base: string,
  store: Storage | null = storage(),
  now: number = Date.now(),
): void {
  try {
    if (code === base || code.length > MAX_CHARS) store?.removeItem(PREFIX + assignmentId);
    else store?.setItem(PREFIX + assignmentId, JSON.stringify({ code, savedAt: now }));
  } catch {
    // a full or blocked storage: the draft lives on in the page
  }
}

/** What the editor opens with: the draft when one differs from `base`, else `base`. */
export function opening(assignmentId: string, base: string, store: Storage | null = storage()): {
  code: string;
  restored: Draft | null;
} {
  const draft = readDraft(assignmentId, store);
  return draft && draft.code !== base ? { code: draft.code, restored: draft } : { code: base, restored: null };
}

/** What an explicit choice (the starter, the last submission, an earlier attempt) replacing
 * `current` with `next` must keep for Undo: the code typed and not submitted, else nothing. */
export function keptForUndo(current: string, next: string, base: string): string | null {
  return current !== next && current !== base ? current : null;
}

const RUN_PREFIX = "grindstone_run_input:";

/** What a run is given (the Call field and the Input field), kept per assignment. */
export interface RunInput {
  stdin: string;
  call: string | null; // null: never typed, so the field starts with its prefill
}

/** The run input kept for this assignment, or none typed. */
export function readRunInput(assignmentId: string, store: Storage | null = storage()): RunInput {
  try {
    const found = JSON.parse(store?.getItem(RUN_PREFIX + assignmentId) ?? "null") as Partial<RunInput> | null;
    return {
      stdin: typeof found?.stdin === "string" ? found.stdin : "",
      call: typeof found?.call === "string" ? found.call : null,
    };
  } catch {
    return { stdin: "", call: null };
  }
}

/** Keep the run input for this assignment; an empty stdin with the prefilled call is none. */
export function keepRunInput(
  assignmentId: string,
  input: RunInput,
  prefill: string | null,
  store: Storage | null = storage(),
): void {
  try {
    const nothing = input.stdin === "" && (input.call === null || input.call === prefill);
    const tooLong = input.stdin.length > MAX_CHARS;
    if (nothing || tooLong) store?.removeItem(RUN_PREFIX + assignmentId);
    else {
      const call = input.call === prefill ? null : input.call; // the prefill follows the handout
      store?.setItem(RUN_PREFIX + assignmentId, JSON.stringify({ stdin: input.stdin, call }));
    }
  } catch {
    // a full or blocked storage: the input lives on in the page
  }
}
