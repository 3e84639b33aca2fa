// Submit, then wait for the `submission.graded` message on the student's own WebSocket.
// MODE=rate: RATE new students a second (constant arrival rate), one submission each; the
// Trend submit_to_push is POST sent -> graded message received.
// MODE=students: STUDENTS students, each on one socket, submitting back to back for DURATION
// (the next as soon as the last is graded); `graded` counts what came back: nothing may be lost.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { Counter, Trend } from 'k6/metrics';
import { WebSocket } from 'k6/experimental/websockets';
import { setTimeout, clearTimeout } from 'k6/timers';
import {
  BASE, WS_BASE, DURATION, STRICT, ASSIGNMENT_ID, bearer, fail, millis, program, tokenAt,
} from './common.js';

const MODE = __ENV.MODE || 'rate';
const RATE = parseInt(__ENV.RATE || '50', 10);
const STUDENTS = parseInt(__ENV.STUDENTS || '100', 10);
const TIMEOUT_MS = parseInt(__ENV.TIMEOUT_MS || '30000', 10);

const submitToPush = new Trend('submit_to_push', true);
const accepted = new Counter('accepted');
const graded = new Counter('graded');

const SCENARIOS = {
  rate: {
    executor: 'constant-arrival-rate',
    rate: RATE,
    timeUnit: '1s',
    duration: DURATION,
    preAllocatedVUs: Math.max(10, RATE),
    maxVUs: Math.max(50, RATE * 4),
  },
  students: {
    executor: 'per-vu-iterations',
    vus: STUDENTS,
    iterations: 1,
    maxDuration: `${Math.ceil((millis(DURATION) + TIMEOUT_MS) / 1000) + 10}s`,
  },
};

export const options = { scenarios: { e2e: SCENARIOS[MODE] }, thresholds: STRICT };

export default function () {
  const rate = MODE === 'rate';
  const token = tokenAt(rate ? exec.scenario.iterationInTest : exec.vu.idInTest - 1);
  const until = Date.now() + millis(DURATION);
  const more = () => !rate && Date.now() < until;
  const early = {}; // graded messages that overtook their POST's answer
  let waitingFor = null;
  let sentAt = 0;
  let timer = null;
  let count = 0;

  const ws = new WebSocket(`${WS_BASE}/ws?token=${token}`);
  // k6 reports a write racing our own close (a server ping answered after it) as an
  // error 'websocket: close sent': not a failure of the system
  let closing = false;
  const closeOurs = () => {
    closing = true;
    ws.close();
  };

  const done = (submission, at) => {
    clearTimeout(timer);
    waitingFor = null;
    submitToPush.add(at - sentAt);
    graded.add(1);
    check(submission, { 'graded passed': (s) => s.status === 'passed' });
    if (more()) submit();
    else closeOurs();
  };

  const submit = async () => {
    count += 1;
    const body = JSON.stringify({ assignment_id: ASSIGNMENT_ID, code: program(`e2e ${token.slice(-12)} ${count}`) });
    sentAt = Date.now();
    const r = await http.asyncRequest('POST', `${BASE}/api/submissions`, body, { headers: bearer(token) });
    if (!check(r, { 'submit 202': (res) => res.status === 202 })) {
      console.warn(`submit answered ${r.status}: ${r.body}`);
      closeOurs();
      return;
    }
    accepted.add(1);
    waitingFor = r.json('id');
    if (early[waitingFor]) {
      const [submission, at] = early[waitingFor];
      delete early[waitingFor];
      done(submission, at);
      return;
    }
    timer = setTimeout(() => {
      fail('graded on the socket');
      closeOurs();
    }, TIMEOUT_MS);
  };

  ws.onopen = () => submit();
  ws.onmessage = (event) => {
    const at = Date.now();
    const message = JSON.parse(event.data);
    if (message.type !== 'submission.graded') return;
    const submission = message.submission;
    if (submission.id === waitingFor) done(submission, at);
    else early[submission.id] = [submission, at];
  };
  ws.onerror = (event) => {
    if (closing) return;
    console.warn(`socket error: ${event.error}`);
    fail('socket without error');
    clearTimeout(timer);
    closeOurs();
  };
}
