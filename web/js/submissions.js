// The student's submissions, newest first, kept up to date from the live feed.

import { api, paths, progressWithSession } from "./api.js";
import { alertText, el, show, showPoints } from "./dom.js";
import { LiveFeed } from "./live.js";
import { statusBadge } from "./status.js";

const list = document.getElementById("list");
const more = document.getElementById("more");
const empty = document.getElementById("empty");
const error = document.getElementById("error");
const liveNote = document.getElementById("live-note");
const rows = new Map(); // submission id -> its <li>
let titles = new Map();
let cursor = null;

function row(submission) {
  const created = new Date(submission.created_at);
  const title = titles.get(submission.assignment_id) ?? "An assignment";
  return el("li", { class: "submission" },
    el("a", { href: paths.assignmentPage(submission.assignment_id) }, title),
    " ", statusBadge(submission.status), " ",
    el("time", { datetime: submission.created_at }, created.toLocaleString()));
}

function put(submission, { atTop }) {
  const old = rows.get(submission.id);
  const fresh = row(submission);
  rows.set(submission.id, fresh);
  if (old) old.replaceWith(fresh);
  else if (atTop) list.prepend(fresh);
  else list.append(fresh);
  show(empty, rows.size === 0);
}

function onMessage(message) {
  const submission = message.submission;
  if (!submission) return;
  if (message.type === "submission.deleted") {
    rows.get(submission.id)?.remove();
    rows.delete(submission.id);
    show(empty, rows.size === 0);
  } else if (rows.has(submission.id) || message.type === "submission.created") {
    put(submission, { atTop: true });
  }
  if (submission.status === "passed") api(paths.progress(message.seq)).then(showPoints, () => {});
}

function onState(state, reason) {
  const notes = { open: "", reconnecting: "Live updates paused; reconnecting…", stopped: reason };
  liveNote.textContent = notes[state] ?? "";
}

async function loadPage() {
  const page = await api(paths.submissions(cursor));
  for (const submission of page.items) put(submission, { atTop: false });
  cursor = page.next;
  show(more, Boolean(cursor));
  return page.items;
}

async function start() {
  try {
    showPoints(await progressWithSession());
    const assignments = await api("/api/assignments");
    titles = new Map(assignments.map((a) => [a.id, a.title]));
    const items = await loadPage();
    show(empty, rows.size === 0);
    const after = Math.max(0, ...items.map((s) => s.last_seq ?? 0));
    new LiveFeed({ after, onMessage, onState });
  } catch (problem) {
    alertText(error, problem.detail ?? String(problem));
  }
}

more.addEventListener("click", async () => {
  more.disabled = true;
  try {
    await loadPage();
  } catch (problem) {
    alertText(error, problem.detail ?? String(problem));
  } finally {
    more.disabled = false;
  }
});
start();
