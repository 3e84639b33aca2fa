// One URL, GET, over and over: the baselines (a bare Litestar endpoint, nginx serving a file).
import http from 'k6/http';
import { check } from 'k6';
import { DURATION, VUS, STRICT } from './common.js';

export const options = { vus: VUS, duration: DURATION, thresholds: STRICT };

export default function () {
  check(http.get(__ENV.URL), { 'get 200': (r) => r.status === 200 });
}
