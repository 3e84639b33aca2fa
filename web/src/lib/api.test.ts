import { afterEach, describe, expect, it, vi } from "vitest";
import {
  api,
  ApiError,
  assignmentPage,
  lastWriteSeq,
  paths,
  progressWithSession,
  renewSession,
  startRun,
  submitCode,
} from "./api";

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers });

afterEach(() => vi.unstubAllGlobals());

describe("api", () => {
  it("turns an error response into an ApiError with a sentence", async () => {
    vi.stubGlobal("fetch", async () => json(413, { error: "too_large", detail: "The code is too long." }));
    const problem = await api("/api/submissions", "POST", { code: "x" }).catch((e: unknown) => e);
    expect(problem).toBeInstanceOf(ApiError);
    expect(problem).toMatchObject({ status: 413, code: "too_large", detail: "The code is too long." });
  });

  it("keeps a 429's Retry-After in seconds", async () => {
    vi.stubGlobal("fetch", async () => json(429, { error: "rate_limited", detail: "Slow down." }, { "Retry-After": "7" }));
    await expect(api("/api/runs", "POST", {})).rejects.toMatchObject({ status: 429, retryAfter: 7 });
  });

  it("sends a run's stdin and call only when given, the call trimmed", async () => {
    const bodies: unknown[] = [];
    vi.stubGlobal("fetch", async (path: string, init: RequestInit) => {
      bodies.push([path, JSON.parse(String(init.body))]);
      return json(202, { id: "r1", status: "pending" });
    });
    expect(await startRun("a1", "print(1)", "", "  ")).toEqual({ id: "r1", status: "pending" });
    await startRun("a1", "x", "3 4", " add(2, 3) ");
    expect(bodies).toEqual([
      ["/api/runs", { assignment_id: "a1", code: "print(1)" }],
      ["/api/runs", { assignment_id: "a1", code: "x", stdin: "3 4", call: "add(2, 3)" }],
    ]);
  });

  it("turns a failed fetch into the network sentence", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(api("/api/progress")).rejects.toMatchObject({ status: 0, code: "network" });
  });

  it("starts a session when there is none, then reads the progress", async () => {
    const calls: string[] = [];
    const answers = [json(401, { error: "unauthorized" }), json(201, { token: "t" }), json(200, { points: 0 })];
    vi.stubGlobal("fetch", async (path: string, init: RequestInit) => {
      calls.push(`${init.method} ${path}`);
      return answers.shift();
    });
    expect(await progressWithSession()).toEqual({ points: 0 });
    expect(calls).toEqual(["GET /api/progress", "POST /api/sessions", "GET /api/progress"]);
  });
});

class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
}

describe("renewSession", () => {
  it("renews a held session at most once a day", async () => {
    const calls: string[] = [];
    vi.stubGlobal("fetch", async (path: string, init: RequestInit) => {
      calls.push(`${init.method} ${path}`);
      return json(200, { token: "t" });
    });
    const storage = new MemoryStorage() as unknown as Storage;
    const day = 24 * 3600 * 1000;
    await renewSession(storage, 10 * day);
    await renewSession(storage, 10 * day + 3600 * 1000);
    await renewSession(storage, 11 * day + 1);
    expect(calls).toEqual(["POST /api/sessions", "POST /api/sessions"]);
  });

  it("is asked for by the progress read of a student who holds a session", async () => {
    const calls: string[] = [];
    vi.stubGlobal("fetch", async (path: string, init: RequestInit) => {
      calls.push(`${init.method} ${path}`);
      return json(200, { points: 0 });
    });
    await progressWithSession(new MemoryStorage() as unknown as Storage);
    expect(calls).toEqual(["GET /api/progress", "POST /api/sessions"]);
  });
});

describe("submitCode", () => {
  it("retries a lost answer with the same Idempotency-Key, and a new click has a new key", async () => {
    const keys: string[] = [];
    let calls = 0;
    vi.stubGlobal("fetch", async (_path: string, init: RequestInit) => {
      keys.push((init.headers as Record<string, string>)["Idempotency-Key"] ?? "");
      calls += 1;
      if (calls === 1) throw new TypeError("Failed to fetch");
      if (calls === 2) return json(502, null);
      return json(202, { id: "s1", status: "pending" });
    });
    expect(await submitCode("a1", "print(1)", undefined, [0, 0, 0])).toEqual({ id: "s1", status: "pending" });
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    await submitCode("a1", "print(1)", undefined, [0]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it("does not retry an answer the server gave", async () => {
    let calls = 0;
    vi.stubGlobal("fetch", async () => {
      calls += 1;
      return json(409, { error: "submission_pending", detail: "Still waiting." });
    });
    await expect(submitCode("a1", "x", "k", [0, 0])).rejects.toMatchObject({ status: 409 });
    expect(calls).toBe(1);
  });
});

describe("paths", () => {
  it("leaves out empty parameters and escapes the rest", () => {
    expect(paths.progress()).toBe("/api/progress");
    expect(paths.progress(42)).toBe("/api/progress?after_seq=42");
    expect(paths.submissions({ limit: 20, cursor: "a+b/c" })).toBe("/api/submissions?limit=20&cursor=a%2Bb%2Fc");
    expect(paths.submissions({ assignmentId: "x", limit: 1 })).toBe("/api/submissions?assignment_id=x&limit=1");
    expect(assignmentPage("abc")).toBe("/assignments/abc/");
  });

  it("reads the seq of the latest write from the cookie", () => {
    expect(lastWriteSeq("a=1; grindstone_seq=77; b=2")).toBe(77);
    expect(lastWriteSeq("grindstone_session=x")).toBe(0);
  });
});
