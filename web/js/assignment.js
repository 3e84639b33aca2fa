// One assignment: handout, editor, submit, and the verdict as it arrives live.

import { api, ApiError, paths, progressWithSession } from "./api.js";
import { alertText, el, show, showPoints } from "./dom.js";
import { enhanceEditor } from "./editor.js";
import { LiveFeed } from "./live.js";
import { parse, render } from "./markdown.js";
import { FINAL, renderFeedback, statusBadge } from "./status.js";

const $ = (id) => document.getElementById(id);
const assignmentId = new URLSearchParams(window.location.search).get("id");
const editor = $("code");
const submitButton = $("submit");
let assignment = null;
let current = null; // the submission on show
let feed = null;
let sending = false;

async function start() {
  if (!assignmentId) {
    return pageError("No assignment was chosen. Go back to the start page to continue.");
  }
  try {
    showPoints(await progressWithSession());
    assignment = await api(paths.assignment(assignmentId));
    showAssignment(assignment);
    const last = (await api(paths.lastSubmission(assignmentId))).items[0];
    editor.value = last?.code ?? assignment.starter;
    if (last) showSubmission(last);
    if (last && !FINAL.has(last.status)) follow(last.last_seq);
  } catch (problem) {
    pageError(problem.detail ?? String(problem));
  }
}

function pageError(message) {
  alertText($("page-error"), message);
  show($("assignment"), false);
}

function showAssignment(data) {
  document.title = `${data.title} · Grindstone`;
  $("title").textContent = data.title;
  const blocks = parse(data.handout);
  const first = blocks[0];
  const repeatsTitle = first?.type === "heading" && first.level === 1;
  $("handout").replaceChildren(render(repeatsTitle ? blocks.slice(1) : blocks, document));
  show($("assignment"));
}

async function submit() {
  if (sending || (current && !FINAL.has(current.status))) return;
  sending = true;
  updateButton();
  alertText($("submit-error"), "");
  try {
    const body = { assignment_id: assignmentId, code: editor.value };
    const created = await api("/api/submissions", { method: "POST", body });
    showSubmission(created, created.stream_seq);
    if (!FINAL.has(created.status)) follow(created.stream_seq ?? created.last_seq);
  } catch (problem) {
    const message = problem instanceof ApiError ? problem.detail : String(problem);
    alertText($("submit-error"), message);
  } finally {
    sending = false;
    updateButton();
  }
}

function follow(after) {
  feed?.close();
  feed = new LiveFeed({ after, onMessage, onState });
}

function onMessage(message) {
  const submission = message.submission;
  if (!current || submission?.id !== current.id) return;
  if (message.type === "submission.deleted") {
    current = null;
    show($("result"), false);
    updateButton();
    return;
  }
  showSubmission(submission, message.seq);
  if (FINAL.has(submission.status)) feed.close();
}

function onState(state, reason) {
  const notes = { open: "", reconnecting: "Connection lost; reconnecting…", stopped: reason };
  $("live-note").textContent = notes[state] ?? "";
  if (state === "stopped" && current && !FINAL.has(current.status)) current = null; // unblock
  updateButton();
}

/** `seq`: the stream seq this state comes from, so reads can wait for the projector. */
function showSubmission(submission, seq = null) {
  current = submission;
  show($("result"));
  $("status").replaceChildren(statusBadge(submission.status));
  $("feedback").replaceChildren(...(submission.feedback ? renderFeedback(submission.feedback) : []));
  updateButton();
  if (submission.status === "passed") celebrate(seq);
  else show($("success"), false);
}

async function celebrate(seq) {
  show($("success"));
  api(paths.progress(seq)).then(showPoints, () => {});
  const next = await nextAssignment().catch(() => null);
  const link = $("next");
  show(link, Boolean(next));
  if (next) link.href = paths.assignmentPage(next.id);
  $("last-note").hidden = Boolean(next);
}

async function nextAssignment() {
  const all = await api("/api/assignments");
  const later = all.filter((a) => a.position > assignment.position);
  return later.sort((a, b) => a.position - b.position)[0] ?? null;
}

function updateButton() {
  const busy = sending || (current && !FINAL.has(current.status));
  submitButton.disabled = Boolean(busy);
  submitButton.textContent = busy ? "Grading…" : "Submit";
}

enhanceEditor(editor, () => submit());
$("submit-form").addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});
$("reset").addEventListener("click", () => {
  if (assignment && window.confirm("Replace your code with the starter code?")) {
    editor.value = assignment.starter;
    editor.focus();
  }
});
start();
