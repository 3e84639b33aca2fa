// GET /api/assignments/{id} with a student's Bearer token (each VU its own student): the
// cached read path through nginx and query_api.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';
import { BASE, DURATION, VUS, STRICT, ASSIGNMENT_ID, bearer, tokenAt } from './common.js';

export const options = { vus: VUS, duration: DURATION, thresholds: STRICT };

export default function () {
  const headers = bearer(tokenAt(exec.vu.idInTest - 1));
  const r = http.get(`${BASE}/api/assignments/${ASSIGNMENT_ID}`, { headers });
  check(r, { 'assignment 200': (res) => res.status === 200 && res.json('id') === ASSIGNMENT_ID });
}
