import { describe, expect, it } from "vitest";
import { ApiError } from "./api";
import {
  accepted,
  callPrefill,
  GIVE_UP_MS,
  idle,
  inFlight,
  limitSentence,
  observed,
  overdue,
  POLL_MS,
  pollDelay,
  refusalSentence,
  refused,
  sending,
  statusText,
  withRunMark,
  type RunView,
} from "./runs";
import type { Run } from "./types";

const run = (fields: Partial<Run> = {}): Run => ({
  id: "r1",
  assignment_id: "a1",
  status: "finished",
  stdout: "",
  stderr: "",
  value: null,
  error: null,
  limit: null,
  time_ms: 12,
  created_at: "2026-12-04T20:00:00Z",
  ...fields,
});

describe("a run's state", () => {
  it("goes from sending to waiting to done, and is in flight until done", () => {
    let tracker = sending(idle);
    expect(inFlight(tracker.view)).toBe(true);
    tracker = accepted(tracker, "r1", 1000);
    expect(tracker.view).toEqual({ phase: "waiting", id: "r1", status: "pending", since: 1000 });
    tracker = observed(tracker, run({ status: "running" }));
    expect(tracker.view).toMatchObject({ phase: "waiting", status: "running" });
    expect(inFlight(tracker.view)).toBe(true);
    tracker = observed(tracker, run({ stdout: "7\n" }));
    expect(tracker.view).toEqual({ phase: "done", run: run({ stdout: "7\n" }) });
    expect(inFlight(tracker.view)).toBe(false);
  });

  it("ends at once when the live message overtook the POST's answer", () => {
    let tracker = sending(idle);
    tracker = observed(tracker, run({ id: "other" })); // an older run's late message
    tracker = observed(tracker, run({ stdout: "quick\n" }));
    tracker = accepted(tracker, "r1", 1000);
    expect(tracker.view).toEqual({ phase: "done", run: run({ stdout: "quick\n" }) });
    expect(tracker.early).toEqual([]);
  });

  it("ignores other runs, a late poll saying pending, and anything after the end", () => {
    let tracker = accepted(sending(idle), "r1", 0);
    expect(observed(tracker, run({ id: "r0" }))).toBe(tracker);
    tracker = observed(tracker, run({ status: "running" }));
    expect(observed(tracker, run({ status: "pending" }))).toBe(tracker);
    const done = observed(tracker, run({ value: "5" }));
    expect(observed(done, run({ value: "other" }))).toBe(done);
    expect(accepted(done, "r2", 5)).toBe(done); // an answer for no click changes nothing
  });

  it("gives up a wait with no answer after a minute, not before", () => {
    const tracker = accepted(sending(idle), "r1", 1000);
    expect(overdue(tracker, 1000 + GIVE_UP_MS - 1)).toBe(tracker);
    const over = overdue(tracker, 1000 + GIVE_UP_MS);
    expect(over.view.phase).toBe("refused");
    expect(inFlight(over.view)).toBe(false);
  });

  it("a refusal ends the run in flight", () => {
    const tracker = refused(sending(idle), "Too many runs.");
    expect(tracker.view).toEqual({ phase: "refused", sentence: "Too many runs." });
  });
});

describe("polling", () => {
  it("gives the open socket a head start, then reads every second; at once when it is down", () => {
    expect(pollDelay("open", 0)).toBeGreaterThan(POLL_MS);
    expect(pollDelay("open", 1)).toBe(POLL_MS);
    for (const state of ["connecting", "reconnecting", "stopped"] as const) {
      expect(pollDelay(state, 0)).toBe(POLL_MS);
    }
  });
});

describe("the call field's prefill", () => {
  it("is the handout's first example call of the entry point", () => {
    const handout = "## Examples\n\n```python\n>>> count_vowels(\"banana\")\n3\n>>> count_vowels(\"\")\n0\n```";
    expect(callPrefill("count_vowels", handout)).toBe('count_vowels("banana")');
  });

  it("is the bare call when the handout shows none, or calls something else", () => {
    expect(callPrefill("add", "Write `add(a, b)`.\n>>> plus(1, 2)\n3")).toBe("add()");
    expect(callPrefill("is_x", ">>> is_xy(1)")).toBe("is_x()");
  });
});

describe("sentences", () => {
  it("says how the run ended and how long it took", () => {
    const done = (fields: Partial<Run>): RunView => ({ phase: "done", run: run(fields) });
    expect(statusText(done({}))).toBe("Finished: ran in 12 ms.");
    expect(statusText(done({ error: { error: "ZeroDivisionError: division by zero", line: 3 } }))).toBe(
      "Ended with an error on line 3: ran in 12 ms.",
    );
    expect(statusText(done({ limit: "wall", time_ms: 10_004 }))).toBe("Stopped by a limit: ran in 10004 ms.");
    expect(statusText({ phase: "waiting", id: "r1", status: "pending", since: 0 })).toBe("Running…");
    expect(statusText({ phase: "sending" })).toBe("Running…");
  });

  it("names each limit, and an unknown one by its name", () => {
    expect(limitSentence("wall")).toMatch(/time limit/);
    expect(limitSentence("memory")).toMatch(/memory/);
    expect(limitSentence("output")).toMatch(/printed more/);
    expect(limitSentence("disk")).toMatch(/\(disk\)/);
    expect(limitSentence(null)).toBe("");
  });

  it("says when to try again after a 429, in the server's words when they say it", () => {
    const said = new ApiError(429, "rate_limited", "You can run at most 30 times a minute; try again in 12 seconds.", 12);
    expect(refusalSentence(said)).toBe(said.detail);
    const bare = new ApiError(429, "rate_limited", "Too many runs.", 1);
    expect(refusalSentence(bare)).toBe("Too many runs. You can run again in 1 second.");
    const tooLong = new ApiError(413, "too_large", "The input is too long.");
    expect(refusalSentence(tooLong)).toBe("The input is too long.");
  });
});

describe("the error's line in the editor", () => {
  it("is marked beside the feedback's marks, sharing a line's mark", () => {
    const feedback = [
      { line: 2, message: "Test 1: failed" },
      { line: 5, message: "Test 2: failed" },
    ];
    const view: RunView = { phase: "done", run: run({ error: { error: "NameError: name 'x'", line: 5 } }) };
    expect(withRunMark(feedback, view)).toEqual([
      { line: 2, message: "Test 1: failed" },
      { line: 5, message: "Test 2: failed\nYour run: NameError: name 'x'" },
    ]);
    const alone: RunView = { phase: "done", run: run({ error: { error: "E", line: 1 } }) };
    expect(withRunMark([], alone)).toEqual([{ line: 1, message: "Your run: E" }]);
  });

  it("is none while running, without an error, or with an error outside the code", () => {
    const marks = [{ line: 2, message: "m" }];
    expect(withRunMark(marks, { phase: "sending" })).toBe(marks);
    expect(withRunMark(marks, { phase: "done", run: run() })).toBe(marks);
    expect(withRunMark(marks, { phase: "done", run: run({ error: { error: "E", line: null } }) })).toBe(marks);
  });
});
