// Live submission updates from the WebSocket /ws, resumed after the last stream seq seen.

const GIVE_UP_CODES = new Set([4400, 4401, 4403]); // bad request, no session, wrong role
const MAX_DELAY_MS = 10_000;

export function socketUrl(after, location = window.location) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = after == null ? "" : `?after=${encodeURIComponent(after)}`;
  return `${scheme}//${location.host}/ws${query}`;
}

/**
 * Keeps a connection open until close(): each message goes to onMessage; when the connection
 * drops it reconnects (waiting longer each time) with ?after= the last seq seen, so the server
 * replays what was missed. onState gets "open", "reconnecting" or "stopped" (with a reason).
 */
export class LiveFeed {
  constructor({ after = null, onMessage, onState = () => {}, ...options }) {
    Object.assign(this, { lastSeq: after, onMessage, onState });
    this.WebSocketImpl = options.WebSocketImpl ?? globalThis.WebSocket;
    this.urlFor = options.urlFor ?? socketUrl;
    this.schedule = options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    this.failures = 0;
    this.closed = false;
    this.connect();
  }

  connect() {
    const socket = new this.WebSocketImpl(this.urlFor(this.lastSeq));
    this.socket = socket;
    socket.onopen = () => {
      this.failures = 0;
      this.onState("open");
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => this.dropped(event);
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return; // not ours to show
    }
    if (Number.isInteger(message.seq)) {
      // older than what we have: a replay overlap (one event may give two messages: same seq)
      if (this.lastSeq != null && message.seq < this.lastSeq) return;
      this.lastSeq = message.seq;
    }
    this.onMessage(message);
  }

  dropped(event) {
    if (this.closed) return;
    if (GIVE_UP_CODES.has(event.code)) {
      this.closed = true;
      this.onState("stopped", event.reason || "Live updates were refused.");
      return;
    }
    this.failures += 1;
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** (this.failures - 1));
    this.onState("reconnecting");
    this.schedule(() => this.closed || this.connect(), delay);
  }

  close() {
    this.closed = true;
    this.socket?.close(1000, "done");
  }
}
