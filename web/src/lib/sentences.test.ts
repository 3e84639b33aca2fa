import { describe, expect, it } from "vitest";
import { errorCode, errorSentence, NETWORK_SENTENCE } from "./sentences";

describe("errorSentence", () => {
  it("prefers the server's own sentence", () => {
    const body = { error: "submission_pending", detail: "Your previous submission is still waiting." };
    expect(errorSentence(409, body)).toBe("Your previous submission is still waiting.");
    expect(errorCode(409, body)).toBe("submission_pending");
  });

  it("has a sentence for 409, 413 and 429 when the body has none (say, from a proxy)", () => {
    expect(errorSentence(409, null)).toMatch(/being graded/);
    expect(errorSentence(413, "<html>")).toMatch(/too long.*64 KiB/);
    expect(errorSentence(429, null)).toMatch(/Too many requests/);
  });

  it("says when to retry after a 429 with Retry-After", () => {
    expect(errorSentence(429, null, "12")).toBe("Too many requests. Try again in 12 seconds.");
    expect(errorSentence(429, null, "1")).toBe("Too many requests. Try again in 1 second.");
  });

  it("names a lost network and unknown statuses", () => {
    expect(errorSentence(0, null)).toBe(NETWORK_SENTENCE);
    expect(errorCode(0, null)).toBe("network");
    expect(errorSentence(502, { detail: "  " })).toMatch(/problem \(502\)/);
  });
});
