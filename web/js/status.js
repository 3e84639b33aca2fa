// Submission statuses as words (never colour alone) and the feedback of a graded submission.

import { el } from "./dom.js";

export const FINAL = new Set(["passed", "failed", "error"]);

const LABELS = {
  pending: ["…", "Waiting for a grader"],
  grading: ["…", "Grading"],
  passed: ["✓", "Passed"],
  failed: ["✗", "Failed"],
  error: ["!", "Error: your code could not be graded"],
};

export function statusBadge(status) {
  const [icon, text] = LABELS[status] ?? ["?", status];
  return el("span", { class: `badge badge-${status}` }, el("span", { "aria-hidden": "true" }, icon), ` ${text}`);
}

/** "test_adds_two_numbers" -> "adds two numbers" (the grader reports test function names). */
export function testLabel(name) {
  const words = String(name).replace(/^test_?/, "").replace(/_/g, " ").trim();
  return words || String(name);
}

const OUTCOMES = { passed: "✓ passed", failed: "✗ failed", error: "! error", skipped: "– not run" };

export function renderFeedback(feedback) {
  const parts = [];
  if (feedback.message) parts.push(el("p", { class: "feedback-message" }, feedback.message));
  const tests = feedback.tests ?? [];
  if (tests.length) parts.push(el("ul", { class: "tests" }, tests.map(renderTest)));
  if (feedback.output) parts.push(outputBlock("What your program printed", feedback.output));
  return parts;
}

function renderTest(test) {
  const details = [];
  if (test.message) details.push(el("p", {}, test.message));
  if (test.expected != null || test.actual != null) {
    details.push(
      el("dl", { class: "compare" },
        el("dt", {}, "Expected"), el("dd", {}, el("pre", {}, test.expected ?? "")),
        el("dt", {}, "Got"), el("dd", {}, el("pre", {}, test.actual ?? ""))),
    );
  }
  if (test.line != null) {
    const where = el("p", {}, `Your line ${test.line}`, test.source_line ? ": " : "");
    if (test.source_line) where.append(el("code", {}, test.source_line));
    details.push(where);
  }
  if (test.error) details.push(el("pre", { class: "error-text" }, test.error));
  if (test.output) details.push(outputBlock("Printed output", test.output));
  return el("li", { class: `test test-${test.outcome}` },
    el("span", { class: "outcome" }, OUTCOMES[test.outcome] ?? test.outcome),
    " ", el("span", { class: "test-name", title: test.name }, testLabel(test.name)),
    details);
}

function outputBlock(summary, text) {
  return el("details", { class: "output" }, el("summary", {}, summary), el("pre", {}, text));
}
