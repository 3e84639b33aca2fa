import { describe, expect, it } from "vitest";
import {
  LiveFeed,
  type LiveState,
  liveNote,
  parseMessage,
  parseRunMessage,
  recheckDelay,
  reconnectDelay,
  socketUrl,
} from "./live";
import type { LiveMessage } from "./types";

class FakeSocket {
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close() {
    this.closed = true;
  }
  send(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006, reason = "") {
    this.onclose?.({ code, reason });
  }
}

function harness(after: number | null = null) {
  const sockets: FakeSocket[] = [];
  const pending: (() => void)[] = [];
  const delays: number[] = [];
  const received: LiveMessage[] = [];
  const states: LiveState[] = [];
  const feed = new LiveFeed({
    after,
    onMessage: (m) => received.push(m),
    onState: (s) => states.push(s),
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    urlFor: (seq) => (seq == null ? "/ws" : `/ws?after=${seq}`),
    schedule: (run, ms) => {
      delays.push(ms);
      pending.push(run);
    },
  });
  return { feed, sockets, pending, delays, received, states };
}

const message = (seq: number, id = "s1", type = "submission.grading") => ({
  type,
  seq,
  submission: { id, status: "grading" },
});

describe("LiveFeed", () => {
  it("resumes after the last seq seen when the connection drops", () => {
    const h = harness(10);
    expect(h.sockets[0]?.url).toBe("/ws?after=10");
    h.sockets[0]?.send(message(11));
    h.sockets[0]?.send(message(12));
    h.sockets[0]?.drop();
    expect(h.states.at(-1)).toBe("reconnecting");
    h.pending.shift()?.();
    expect(h.sockets[1]?.url).toBe("/ws?after=12");
  });

  it("skips what a replay sends again, but keeps two messages of one event", () => {
    const h = harness(5);
    for (const seq of [6, 7, 6, 7, 8]) h.sockets[0]?.send(message(seq));
    expect(h.received.map((m) => m.seq)).toEqual([6, 7, 7, 8]);
  });

  it("waits longer after each failure in a row, and starts over once connected", () => {
    const h = harness();
    for (let i = 0; i < 6; i += 1) {
      h.sockets.at(-1)?.drop();
      h.pending.shift()?.();
    }
    expect(h.delays).toEqual([500, 1000, 2000, 4000, 8000, 10000]);
    h.sockets.at(-1)?.onopen?.({});
    h.sockets.at(-1)?.drop();
    expect(h.delays.at(-1)).toBe(500);
  });

  it("gives up when the server refuses the session, and stays closed once closed", () => {
    const h = harness();
    h.sockets[0]?.drop(4401, "Sign in first.");
    expect(h.states.at(-1)).toBe("stopped");
    expect(h.pending).toHaveLength(0);
    const other = harness();
    other.feed.close();
    other.sockets[0]?.drop();
    expect(other.pending).toHaveLength(0);
  });

  it("ignores frames that are not submission messages", () => {
    const h = harness();
    h.sockets[0]?.onmessage?.({ data: "not json" });
    h.sockets[0]?.onmessage?.({ data: JSON.stringify({ type: "hello" }) });
    expect(h.received).toHaveLength(0);
  });
});

describe("helpers", () => {
  it("builds the socket address on the page's own origin", () => {
    expect(socketUrl(3, { protocol: "https:", host: "example.org" })).toBe("wss://example.org/ws?after=3");
    expect(socketUrl(null, { protocol: "http:", host: "127.0.0.1:8000" })).toBe("ws://127.0.0.1:8000/ws");
  });

  it("words the connection state", () => {
    expect(liveNote("open")).toBe("");
    expect(liveNote("reconnecting")).toMatch(/reconnecting/);
    expect(liveNote("stopped", "Sign in first.")).toBe("Sign in first.");
    expect(reconnectDelay(1)).toBe(500);
    expect(parseMessage(42)).toBeNull();
  });

  it("reads a waiting attempt again seldom while the socket is open, often while it is down", () => {
    expect(recheckDelay("open")).toBeGreaterThanOrEqual(30_000);
    for (const state of ["connecting", "reconnecting", "stopped"] as const) {
      expect(recheckDelay(state)).toBe(5_000);
    }
  });
});

describe("runs on the socket", () => {
  it("hands a finished run to onRun, leaving the seq and the submissions alone", () => {
    const runs: unknown[] = [];
    const received: LiveMessage[] = [];
    const sockets: { onmessage: ((event: { data: unknown }) => void) | null }[] = [];
    const feed = new LiveFeed({
      after: 4,
      onMessage: (m) => received.push(m),
      onRun: (run) => runs.push(run),
      openSocket: () => {
        const socket = { onopen: null, onmessage: null, onclose: null, close() {} };
        sockets.push(socket);
        return socket;
      },
      urlFor: () => "/ws",
      schedule: () => {},
    });
    const finished = { id: "r1", status: "finished", stdout: "hi\n" };
    sockets[0]?.onmessage?.({ data: JSON.stringify({ type: "run.finished", seq: 99, run: finished }) });
    expect(runs).toEqual([finished]);
    expect(received).toEqual([]);
    expect(feed.lastSeq).toBe(4);
  });

  it("reads only run.finished frames with a run", () => {
    expect(parseRunMessage(JSON.stringify({ type: "run.finished", run: { id: "r1" } }))).toEqual({ id: "r1" });
    expect(parseRunMessage(JSON.stringify({ type: "run.finished" }))).toBeNull();
    expect(parseRunMessage(JSON.stringify(message(3)))).toBeNull();
    expect(parseRunMessage("{")).toBeNull();
  });

  it("copes with no onRun given", () => {
    const h = harness();
    h.sockets[0]?.send({ type: "run.finished", run: { id: "r1" } });
    expect(h.received).toEqual([]);
  });
});
