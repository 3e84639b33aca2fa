import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { api, ApiError, progressWithSession } from "../../web/js/api.js";

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

function answer(status, body) {
  return new Response(body == null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

test("calls are same-origin with credentials and send JSON", async () => {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push({ path, init });
    return answer(202, { id: "s1" });
  };
  assert.deepEqual(await api("/api/submissions", { method: "POST", body: { code: "x" } }), { id: "s1" });
  assert.equal(calls[0].init.credentials, "same-origin");
  assert.equal(calls[0].init.headers["Content-Type"], "application/json");
  assert.equal(calls[0].init.body, '{"code":"x"}');
});

test("an error shows the server's detail sentence", async () => {
  const detail = "You already have a submission waiting for a grader.";
  globalThis.fetch = async () => answer(409, { error: "conflict", detail });
  await assert.rejects(api("/api/submissions", { method: "POST", body: {} }), (error) => {
    assert.ok(error instanceof ApiError);
    assert.deepEqual([error.status, error.code, error.message], [409, "conflict", detail]);
    return true;
  });
});

test("an error without a JSON body still gets a sentence", async () => {
  globalThis.fetch = async () => new Response("<html>too large</html>", { status: 413 });
  await assert.rejects(api("/api/submissions"), /too large to submit/);
});

test("no connection is a network error with a sentence", async () => {
  globalThis.fetch = async () => {
    throw new TypeError("fetch failed");
  };
  await assert.rejects(api("/api/progress"), (error) => error.status === 0 && /Could not reach/.test(error.detail));
});

test("a first visit starts a session when progress answers 401", async () => {
  const calls = [];
  let session = false;
  globalThis.fetch = async (path, init) => {
    calls.push(`${init.method} ${path}`);
    if (path === "/api/sessions") {
      session = true;
      return answer(201, { user_id: "u", token: "t" });
    }
    return session ? answer(200, { points: 0 }) : answer(401, { error: "unauthorized", detail: "Sign in." });
  };
  assert.deepEqual(await progressWithSession(), { points: 0 });
  assert.deepEqual(calls, ["GET /api/progress", "POST /api/sessions", "GET /api/progress"]);
});

test("a known student does not get a new session", async () => {
  const calls = [];
  globalThis.fetch = async (path, init) => {
    calls.push(`${init.method} ${path}`);
    return answer(200, { points: 300 });
  };
  await progressWithSession();
  assert.deepEqual(calls, ["GET /api/progress"]);
});
