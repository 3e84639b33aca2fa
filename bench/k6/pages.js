// The assignment page through nginx as a browser loads it: the HTML, then each script and
// style it names (read from the page once, in setup).
import http from 'k6/http';
import { check } from 'k6';
import { BASE, DURATION, VUS, STRICT } from './common.js';

export const options = { vus: VUS, duration: DURATION, thresholds: STRICT };

const PAGE = __ENV.PAGE_PATH || '/assignments/';

export function setup() {
  const html = http.get(`${BASE}${PAGE}`).body;
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  if (assets.length === 0) throw new Error(`${PAGE} names no /assets/ files`);
  return { assets: [...new Set(assets)] };
}

export default function (data) {
  const page = http.get(`${BASE}${PAGE}`);
  check(page, { 'page 200': (r) => r.status === 200 });
  for (const path of data.assets) {
    const asset = http.get(`${BASE}${path}`);
    check(asset, { 'asset 200': (r) => r.status === 200 });
  }
}
