// Same-origin calls to the Grindstone API; every failure is an ApiError carrying a sentence.

import { errorCode, errorSentence, NETWORK_SENTENCE } from "./sentences";
import type {
  Assignment,
  AssignmentSummary,
  Progress,
  Run,
  RunAccepted,
  RunCode,
  Submission,
  SubmissionPage,
  SubmitSolution,
  WrittenSubmission,
} from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number, // 0 when the server could not be reached
    readonly code: string,
    readonly detail: string,
    readonly retryAfter: number | null = null, // seconds, from a 429's or 503's Retry-After
  ) {
    super(detail);
  }
}

type Method = "GET" | "POST" | "DELETE";

/** Resolves to the JSON body (null for 204); rejects with ApiError. */
export async function api<T>(
  path: string,
  method: Method = "GET",
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...extra };
  const init: RequestInit = { method, credentials: "same-origin", headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", NETWORK_SENTENCE);
  }
  const data: unknown = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const retryAfter = response.headers.get("Retry-After");
    const sentence = errorSentence(response.status, data, retryAfter);
    const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : null;
    throw new ApiError(response.status, errorCode(response.status, data), sentence, seconds);
  }
  return data as T;
}

/** A sentence for anything thrown: an ApiError's detail, else a generic one. */
export function sentenceFor(problem: unknown): string {
  if (problem instanceof ApiError) return problem.detail;
  return "Something went wrong on this page. Reload it to try again.";
}

const query = (params: Record<string, string | number | null | undefined>): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value != null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
};

// after_seq: the query API answers once its read models have reached that stream seq
export const paths = {
  progress: (afterSeq?: number | null) => `/api/progress${query({ after_seq: afterSeq })}`,
  assignments: () => "/api/assignments",
  assignment: (id: string) => `/api/assignments/${encodeURIComponent(id)}`,
  submissions: (params: { assignmentId?: string; limit?: number; cursor?: string | null }) =>
    `/api/submissions${query({ assignment_id: params.assignmentId, limit: params.limit, cursor: params.cursor })}`,
  submission: (id: string) => `/api/submissions/${encodeURIComponent(id)}`,
  runs: () => "/api/runs",
  run: (id: string) => `/api/runs/${encodeURIComponent(id)}`,
};

/** The page of one assignment (nginx serves it from assignments/index.html). */
export const assignmentPage = (id: string): string => `/assignments/${encodeURIComponent(id)}/`;

/** The page of one past submission: its code and full feedback. */
export const submissionPage = (id: string): string => `/submissions/?id=${encodeURIComponent(id)}`;

export const getProgress = (afterSeq?: number | null) => api<Progress>(paths.progress(afterSeq));
export const getAssignments = () => api<AssignmentSummary[]>(paths.assignments());
export const getAssignment = (id: string) => api<Assignment>(paths.assignment(id));
export const getSubmissions = (params: Parameters<typeof paths.submissions>[0]) =>
  api<SubmissionPage>(paths.submissions(params));
export const getSubmission = (id: string) => api<Submission>(paths.submission(id));

const RETRY_DELAYS_MS = [500, 1000, 2000]; // a submit whose answer was lost, tried again
const RETRYABLE = new Set([0, 502, 503, 504]); // no answer, or none from the API behind nginx

/** One click's submission: its Idempotency-Key goes with every retry, so the server makes
 * the submission once and answers each try the same. */
export async function submitCode(
  assignmentId: string,
  code: string,
  key: string = crypto.randomUUID(),
  delays: number[] = RETRY_DELAYS_MS,
): Promise<WrittenSubmission> {
  const body: SubmitSolution = { assignment_id: assignmentId, code };
  for (let attempt = 0; ; attempt++) {
    try {
      return await api<WrittenSubmission>("/api/submissions", "POST", body, {
        "Idempotency-Key": key,
      });
    } catch (problem) {
      const retryable = problem instanceof ApiError && RETRYABLE.has(problem.status);
      if (!retryable || attempt >= delays.length) throw problem;
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}
/** An ungraded run of `code`: with `stdin`, and for a function assignment a `call`
 * (one expression); fields left empty are not sent. */
export function startRun(assignmentId: string, code: string, stdin: string, call: string): Promise<RunAccepted> {
  const body: RunCode = { assignment_id: assignmentId, code };
  if (stdin) body.stdin = stdin;
  if (call.trim()) body.call = call.trim();
  return api<RunAccepted>(paths.runs(), "POST", body);
}
export const getRun = (id: string) => api<Run>(paths.run(id));

export const deleteSubmission = (id: string) => api<null>(paths.submission(id), "DELETE");

const RENEW_AFTER_MS = 24 * 3600 * 1000; // a student's token lasts a year; renew it daily
const RENEWED_KEY = "grindstone_session_renewed";

function browserStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null; // absent outside browsers; may throw when blocked
  } catch {
    return null;
  }
}

/** Keep a returning student's session alive: at most once a day, POST /api/sessions renews
 * the session the browser holds (200, same student, new expiry). Best effort. */
export async function renewSession(storage: Storage, now: number = Date.now()): Promise<void> {
  const last = Number(storage.getItem(RENEWED_KEY) ?? 0);
  if (now - last < RENEW_AFTER_MS) return;
  await api("/api/sessions", "POST").catch(() => undefined);
  storage.setItem(RENEWED_KEY, String(now));
}

/** The student's progress, starting an anonymous session first when there is none, and
 * renewing the one they hold once a day. */
export async function progressWithSession(
  storage: Storage | null = browserStorage(),
): Promise<Progress> {
  try {
    const progress = await getProgress();
    if (storage) await renewSession(storage);
    return progress;
  } catch (problem) {
    if (!(problem instanceof ApiError) || problem.status !== 401) throw problem;
  }
  await api("/api/sessions", "POST");
  storage?.setItem(RENEWED_KEY, String(Date.now()));
  return getProgress();
}

/** The stream seq of this browser's latest write (the `grindstone_seq` cookie), or 0. */
export function lastWriteSeq(cookie: string = document.cookie): number {
  const found = /(?:^|;\s*)grindstone_seq=(\d+)/.exec(cookie);
  return found ? Number(found[1]) : 0;
}
