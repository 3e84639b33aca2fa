// The start page: make sure there is a session, then go to the next assignment.

import { paths, progressWithSession } from "./api.js";
import { alertText, el, show, showPoints } from "./dom.js";

const status = document.getElementById("status");
const error = document.getElementById("error");
const retry = document.getElementById("retry");

async function start() {
  alertText(error, "");
  show(retry, false);
  status.textContent = "Loading your progress…";
  try {
    const progress = await progressWithSession();
    showPoints(progress);
    if (progress.next_assignment_id) {
      status.textContent = "Opening your next assignment…";
      window.location.replace(paths.assignmentPage(progress.next_assignment_id));
      return;
    }
    status.replaceChildren(...finished(progress));
  } catch (problem) {
    status.textContent = "";
    alertText(error, problem.detail ?? String(problem));
    show(retry);
  }
}

function finished(progress) {
  if (!progress.completed.length) {
    return ["There are no assignments yet. Come back once your teacher has published some."];
  }
  const count = progress.completed.length;
  return [
    el("strong", {}, "All done!"),
    ` You solved all ${count} assignment${count === 1 ? "" : "s"} and earned ${progress.points} points. `,
    el("a", { href: "/submissions/" }, "Look back at your submissions"),
    ".",
  ];
}

retry.addEventListener("click", start);
start();
