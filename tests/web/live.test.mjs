import assert from "node:assert/strict";
import { test } from "node:test";

import { LiveFeed, socketUrl } from "../../web/js/live.js";

/** A WebSocket stand-in the test drives by hand. */
function fakeSockets() {
  const opened = [];
  class FakeSocket {
    constructor(url) {
      this.url = url;
      this.closedWith = null;
      opened.push(this);
    }
    close(code, reason) {
      this.closedWith = { code, reason };
    }
    open() {
      this.onopen?.();
    }
    send(message) {
      this.onmessage?.({ data: JSON.stringify(message) });
    }
    drop(code = 1006, reason = "") {
      this.onclose?.({ code, reason });
    }
  }
  return { opened, FakeSocket };
}

function feed(after, options = {}) {
  const { opened, FakeSocket } = fakeSockets();
  const messages = [];
  const states = [];
  const timers = [];
  const live = new LiveFeed({
    after,
    onMessage: (m) => messages.push(m),
    onState: (...s) => states.push(s),
    WebSocketImpl: FakeSocket,
    urlFor: (seq) => `ws://test/ws${seq == null ? "" : `?after=${seq}`}`,
    schedule: (fn, ms) => timers.push({ fn, ms }),
    ...options,
  });
  return { live, opened, messages, states, timers };
}

const message = (seq, status = "grading") => ({
  type: "submission.grading",
  seq,
  submission: { id: "s1", status },
});

test("the first connection asks for what came after the POST's seq", () => {
  const { opened } = feed(41);
  assert.equal(opened[0].url, "ws://test/ws?after=41");
});

test("messages are passed on in order", () => {
  const { opened, messages } = feed(41);
  opened[0].open();
  opened[0].send(message(42));
  opened[0].send(message(43, "passed"));
  assert.deepEqual(messages.map((m) => m.seq), [42, 43]);
});

test("a dropped connection reconnects after the last seq seen, waiting longer each time", () => {
  const { opened, timers, states } = feed(41);
  opened[0].send(message(45));
  opened[0].drop();
  assert.deepEqual(states.at(-1), ["reconnecting"]);
  timers[0].fn();
  assert.equal(opened[1].url, "ws://test/ws?after=45");
  opened[1].drop();
  assert.ok(timers[1].ms > timers[0].ms);
});

test("a replayed older message is not passed on twice", () => {
  const { opened, messages } = feed(41);
  opened[0].send(message(45));
  opened[0].send(message(44));
  assert.deepEqual(messages.map((m) => m.seq), [45]);
});

test("two messages of one event (same seq) both arrive", () => {
  const { opened, messages } = feed(41);
  opened[0].send({ ...message(42, "passed"), type: "submission.created" });
  opened[0].send({ ...message(42, "passed"), type: "submission.graded" });
  assert.equal(messages.length, 2);
});

test("a refusal for lack of a session stops instead of retrying", () => {
  const { opened, timers, states } = feed(41);
  opened[0].drop(4401, "Sign in first");
  assert.equal(timers.length, 0);
  assert.deepEqual(states.at(-1), ["stopped", "Sign in first"]);
});

test("close() ends it for good", () => {
  const { live, opened, timers } = feed(41);
  live.close();
  assert.deepEqual(opened[0].closedWith, { code: 1000, reason: "done" });
  opened[0].drop(1000);
  assert.equal(timers.length, 0);
});

test("the socket URL follows the page's scheme and host", () => {
  assert.equal(socketUrl(7, { protocol: "https:", host: "example.org" }), "wss://example.org/ws?after=7");
  assert.equal(socketUrl(null, { protocol: "http:", host: "127.0.0.1:8000" }), "ws://127.0.0.1:8000/ws");
});
