// POST /api/submissions, a new student on every request; every answer must be a 202.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { BASE, DURATION, VUS, STRICT, ASSIGNMENT_ID, bearer, program, tokenAt } from './common.js';

export const options = { vus: VUS, duration: DURATION, thresholds: STRICT };

export default function () {
  const n = exec.scenario.iterationInTest;
  const body = JSON.stringify({ assignment_id: ASSIGNMENT_ID, code: program(`submit ${n}`) });
  const r = http.post(`${BASE}/api/submissions`, body, { headers: bearer(tokenAt(n)) });
  if (!check(r, { 'submit 202': (res) => res.status === 202 })) {
    console.warn(`submit answered ${r.status}: ${r.body}`);
  }
}
