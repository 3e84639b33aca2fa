// What went wrong, as a sentence a student understands: the server's own `detail` when it
// sent one (every JSON error has it), else a sentence chosen here by status.

const BY_STATUS: Record<number, string> = {
  400: "The server could not understand the request.",
  401: "Your session has ended. Reload the page to start a new one.",
  403: "You are not allowed to do that.",
  404: "That could not be found.",
  409: "You already have a submission being graded. Wait for its result, then try again.",
  413: "Your code is too long to submit: at most 64 KiB (65,536 bytes) is accepted.",
  422: "The server refused this value.",
  429: "Too many requests. Wait a moment, then try again.",
  503: "The service is busy or restarting. Try again in a few seconds.",
};

export const NETWORK_SENTENCE = "Could not reach the server. Check your connection and try again.";

/** The sentence for a failed response: `body` is its parsed JSON (or null). */
export function errorSentence(status: number, body: unknown, retryAfter?: string | null): string {
  const detail = detailOf(body);
  if (detail) return detail;
  if (status === 0) return NETWORK_SENTENCE;
  if (status === 429 && retryAfter && /^\d+$/.test(retryAfter)) {
    const seconds = Number(retryAfter);
    return `Too many requests. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  }
  return BY_STATUS[status] ?? `The server had a problem (${status}). Try again later.`;
}

function detailOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("detail" in body)) return null;
  const detail = (body as { detail: unknown }).detail;
  return typeof detail === "string" && detail.trim() ? detail : null;
}

/** The code for a failed response: the server's `error`, or "network" / "error". */
export function errorCode(status: number, body: unknown): string {
  if (status === 0) return "network";
  const code = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : null;
  return typeof code === "string" ? code : "error";
}
