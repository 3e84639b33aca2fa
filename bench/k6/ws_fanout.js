// CLIENTS students on open WebSockets at once (1 000 by default), held for HOLD; each submits
// once, at a random moment after every socket had time to open, and closes after HOLD once
// its verdict came. ws_delivery is each message's
// event time (created_at, graded_at) -> its arrival here, over every socket open meanwhile.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { WebSocket } from 'k6/experimental/websockets';
import { setTimeout } from 'k6/timers';
import { BASE, WS_BASE, STRICT, ASSIGNMENT_ID, bearer, fail, millis, program, tokenAt } from './common.js';

const CLIENTS = parseInt(__ENV.CLIENTS || '1000', 10);
const HOLD = __ENV.HOLD || '20s';
const SETTLE_MS = parseInt(__ENV.SETTLE_MS || '3000', 10); // every socket open by then
const TIMEOUT_MS = parseInt(__ENV.TIMEOUT_MS || '30000', 10); // for a verdict after HOLD

const delivery = new Trend('ws_delivery', true);
const opened = new Counter('sockets_opened');
const delivered = new Counter('messages_delivered');

export const options = {
  scenarios: {
    fanout: {
      executor: 'per-vu-iterations',
      vus: CLIENTS,
      iterations: 1,
      maxDuration: `${Math.ceil((millis(HOLD) + TIMEOUT_MS) / 1000) + 30}s`,
    },
  },
  thresholds: { ...STRICT, sockets_opened: [`count==${CLIENTS}`] },
};

export default function () {
  const token = tokenAt(exec.vu.idInTest - 1);
  const hold = millis(HOLD);
  const spread = Math.max(1, hold - SETTLE_MS - 2000);
  let graded = false;
  let held = false; // the socket closes once both: HOLD has passed and its verdict came
  const ws = new WebSocket(`${WS_BASE}/ws?token=${token}`);
  // k6 reports a write racing our own close (a server ping answered after it) as an
  // error 'websocket: close sent': not a failure of the system
  let closing = false;
  const closeOurs = () => {
    closing = true;
    ws.close();
  };

  ws.onopen = () => {
    opened.add(1);
    setTimeout(() => {
      const body = JSON.stringify({ assignment_id: ASSIGNMENT_ID, code: program(`fanout ${token.slice(-12)}`) });
      const r = http.post(`${BASE}/api/submissions`, body, { headers: bearer(token) });
      if (!check(r, { 'submit 202': (res) => res.status === 202 })) {
        console.warn(`submit answered ${r.status}: ${r.body}`);
      }
    }, SETTLE_MS + Math.random() * spread);
    setTimeout(() => {
      held = true;
      if (graded) closeOurs();
    }, hold);
    setTimeout(() => {
      if (!graded) fail('graded on the socket');
      closeOurs();
    }, hold + TIMEOUT_MS);
  };
  ws.onmessage = (event) => {
    const at = Date.now();
    const message = JSON.parse(event.data);
    const submission = message.submission;
    const sentAt = { 'submission.created': submission.created_at, 'submission.graded': submission.graded_at }[message.type];
    if (sentAt) {
      delivery.add(at - Date.parse(sentAt));
      delivered.add(1);
    }
    if (message.type === 'submission.graded') {
      graded = true;
      if (held) closeOurs();
    }
  };
  ws.onerror = (event) => {
    if (closing) return;
    console.warn(`socket error: ${event.error}`);
    fail('socket without error');
    closeOurs();
  };
}
