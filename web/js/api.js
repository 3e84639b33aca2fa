// Same-origin calls to the Grindstone API. Failures become ApiError with a sentence to show.

const FALLBACK = {
  400: "The server could not understand the request.",
  401: "Your session has ended. Reload the page to start a new one.",
  403: "You are not allowed to do that.",
  404: "That could not be found.",
  409: "You already have a submission being graded. Wait for its result, then try again.",
  413: "Your code is too large to submit.",
  422: "The server refused this value.",
  429: "Too many requests. Wait a moment, then try again.",
};

export class ApiError extends Error {
  constructor(status, code, detail) {
    super(detail);
    this.status = status; // 0 when the server could not be reached
    this.code = code;
    this.detail = detail;
  }
}

/** Call the API; resolves to the JSON body (null for 204), rejects with ApiError. */
export async function api(path, { method = "GET", body } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    const detail = "Could not reach the server. Check your connection and try again.";
    throw new ApiError(0, "network", detail);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const detail = typeof data?.detail === "string" && data.detail ? data.detail : null;
    const fallback =
      FALLBACK[response.status] ?? `The server had a problem (${response.status}). Try again later.`;
    throw new ApiError(response.status, data?.error ?? "error", detail ?? fallback);
  }
  return data;
}

/** The student's progress, starting an anonymous session first when there is none. */
export async function progressWithSession() {
  try {
    return await api("/api/progress");
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
  }
  await api("/api/sessions", { method: "POST" });
  return api("/api/progress");
}

export const paths = {
  // after_seq: the query API answers once its read models have reached that stream seq
  progress: (afterSeq) => (afterSeq ? `/api/progress?after_seq=${afterSeq}` : "/api/progress"),
  assignment: (id) => `/api/assignments/${encodeURIComponent(id)}`,
  lastSubmission: (assignmentId) =>
    `/api/submissions?assignment_id=${encodeURIComponent(assignmentId)}&limit=1`,
  submissions: (cursor) =>
    `/api/submissions?limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
  assignmentPage: (id) => `/assignments/?id=${encodeURIComponent(id)}`,
};
