// Live submission updates from the WebSocket /ws: reconnects by itself, resuming after the last
// stream seq seen (`?after=`), so the server replays whatever was missed while away. The
// student's runs finishing come on it too (`run.finished`); they are not replayed (a page
// waiting for one reads it as well) and leave the seq alone.

import type { LiveMessage, Run, RunMessage } from "./types";

export type LiveState = "connecting" | "open" | "reconnecting" | "stopped";

const GIVE_UP_CODES = new Set([4400, 4401, 4403]); // bad request, no session, wrong role
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;
const RECHECK_MS = 5_000; // a waiting attempt is read again this often while the feed is down
const RECHECK_LIVE_MS = 60_000; // and while it is open: its verdict comes on the socket

interface SocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  close(code?: number, reason?: string): void;
}

export interface LiveOptions {
  after: number | null;
  onMessage: (message: LiveMessage) => void;
  onRun?: (run: Run) => void;
  onState?: (state: LiveState, reason?: string) => void;
  openSocket?: (url: string) => SocketLike;
  urlFor?: (after: number | null) => string;
  schedule?: (run: () => void, ms: number) => void;
}

export function socketUrl(after: number | null, where: Pick<Location, "protocol" | "host"> = location): string {
  const scheme = where.protocol === "https:" ? "wss:" : "ws:";
  const search = after == null ? "" : `?after=${after}`;
  return `${scheme}//${where.host}/ws${search}`;
}

/** Wait before the n-th reconnect in a row: 0.5 s, 1 s, 2 s, ... at most 10 s. */
export function reconnectDelay(failures: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, failures - 1));
}

/** How often a page reads a waiting attempt again, a safety net under the live updates. */
export function recheckDelay(state: LiveState): number {
  return state === "open" ? RECHECK_LIVE_MS : RECHECK_MS;
}

/** Parse one frame; null for anything that is not a submission message. */
export function parseMessage(data: unknown): LiveMessage | null {
  if (typeof data !== "string") return null;
  try {
    const message = JSON.parse(data) as Partial<LiveMessage>;
    if (typeof message.type !== "string" || typeof message.submission?.id !== "string") return null;
    return message as LiveMessage;
  } catch {
    return null;
  }
}

/** The run in a `run.finished` frame; null for any other frame. */
export function parseRunMessage(data: unknown): Run | null {
  if (typeof data !== "string") return null;
  try {
    const message = JSON.parse(data) as Partial<RunMessage>;
    if (message.type !== "run.finished" || typeof message.run?.id !== "string") return null;
    return message.run;
  } catch {
    return null;
  }
}

export class LiveFeed {
  lastSeq: number | null;
  private failures = 0;
  private closed = false;
  private socket: SocketLike | null = null;
  private readonly options: Required<LiveOptions>;

  constructor(options: LiveOptions) {
    this.options = {
      onState: () => {},
      openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      urlFor: (after) => socketUrl(after),
      schedule: (run, ms) => void setTimeout(run, ms),
      ...options,
      onRun: options.onRun ?? (() => {}), // given as undefined too
    };
    this.lastSeq = options.after;
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    this.options.onState(this.failures ? "reconnecting" : "connecting");
    const socket = this.options.openSocket(this.options.urlFor(this.lastSeq));
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.options.onState("open");
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (socket === this.socket) this.dropped(event.code, event.reason);
    };
  }

  /** One frame in: skip what is older than what we have (the overlap of a replay). */
  receive(data: unknown): void {
    const run = parseRunMessage(data);
    if (run) {
      this.options.onRun(run);
      return;
    }
    const message = parseMessage(data);
    if (!message) return;
    if (Number.isInteger(message.seq)) {
      // one event may give two messages with the same seq (created, then a reused verdict)
      if (this.lastSeq != null && message.seq < this.lastSeq) return;
      this.lastSeq = message.seq;
    }
    this.options.onMessage(message);
  }

  private dropped(code: number, reason: string): void {
    if (this.closed) return;
    if (GIVE_UP_CODES.has(code)) {
      this.closed = true;
      this.options.onState("stopped", reason || "Live updates were refused.");
      return;
    }
    this.failures += 1;
    this.options.onState("reconnecting");
    this.options.schedule(() => this.connect(), reconnectDelay(this.failures));
  }

  close(): void {
    this.closed = true;
    this.socket?.close(1000, "done");
  }
}

/** Words for the connection's state, shown next to live content ("" while all is well). */
export function liveNote(state: LiveState, reason?: string): string {
  if (state === "reconnecting") return "Connection lost; reconnecting… Updates you missed will follow.";
  if (state === "stopped") return reason ?? "Live updates stopped. Reload the page to see changes.";
  return "";
}
