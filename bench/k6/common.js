// Shared by the k6 scripts: the run's settings from the environment, the student tokens minted
// by bench/tokens.py (one JSON array, shared by every VU), and the thresholds that fail a run.
import { check } from 'k6';
import { SharedArray } from 'k6/data';

export const BASE = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
export const WS_BASE = BASE.replace(/^http/, 'ws');
export const DURATION = __ENV.DURATION || '10s';
export const VUS = parseInt(__ENV.VUS || '10', 10);
export const ASSIGNMENT_ID = __ENV.ASSIGNMENT_ID || '';

// any failed request or check fails the run (k6 exits non-zero)
export const STRICT = { http_req_failed: ['rate==0'], checks: ['rate==1'] };

// only the scripts that act as students need them (TOKENS names the file)
export const tokens = __ENV.TOKENS
  ? new SharedArray('tokens', () => JSON.parse(open(__ENV.TOKENS)))
  : [];

// a different token for each call in the whole test (VUs and iterations together); runs that
// share a file start at different TOKEN_OFFSETs, so that each has students new to it
const OFFSET = parseInt(__ENV.TOKEN_OFFSET || '0', 10);

export function tokenAt(n) {
  const index = OFFSET + n;
  if (index >= tokens.length) {
    throw new Error(`only ${tokens.length} tokens were minted; mint more (index ${index})`);
  }
  return tokens[index];
}

export function bearer(token) {
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}

// a program that passes, unique per call so that the verdict cache never answers it
export function program(tag) {
  return `def add(a, b):\n    return a + b  # ${tag}\n`;
}

// '10s', '2m', '500ms' -> milliseconds
export function millis(duration) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return parseFloat(m[1]) * { ms: 1, s: 1000, m: 60000 }[m[2]];
}

export function fail(name) {
  check(null, { [name]: () => false });
}
