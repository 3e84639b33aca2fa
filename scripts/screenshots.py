"""`python -m scripts.screenshots [--out docs/screenshots]`: the student's pages in Debian
Chromium at desktop and phone widths, on a fresh system of its own (embedded servers in a
temporary folder, the production nginx configuration).

Per width, a new student: the home page; an assignment with a failed submission's feedback;
the same assignment passed, with the way to the next one; runs (not graded): a program's output
for the stdin given, a function's value for a call, an error with the student's line; the
submissions page; and the home page once every assignment is passed. Then the staff pages at
desktop width: /ops/ (an operator's) and /audit/ (an auditor's, on a student with a re-grade
and a deletion); `--staff` takes only those.
"""

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

from playwright.sync_api import BrowserContext, Page, sync_playwright

from common import auth, embedded
from grindstone_cli import stack
from scripts import chromium

VIEWPORTS = {"desktop": (1280, 800), "phone": (375, 812)}
FINAL = ("passed", "failed", "error")
VERDICT_TIMEOUT_S = 60
SETTLE_MS = 600  # the live message lands and the page redraws after the API has the verdict


def curriculum() -> dict[str, dict[str, Any]]:
    lines = stack.CURRICULUM.read_text().splitlines()
    return {r["title"]: r for r in map(json.loads, filter(None, lines))}


def latest(context: BrowserContext, base: str, assignment_id: str) -> dict[str, Any] | None:
    query = f"assignment_id={assignment_id}&limit=1"
    items = context.request.get(f"{base}/api/submissions?{query}").json()["items"]
    return items[0] if items else None


def wait_for_verdict(context: BrowserContext, base: str, assignment_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + VERDICT_TIMEOUT_S
    while time.monotonic() < deadline:
        submission = latest(context, base, assignment_id)
        if submission and submission["status"] in FINAL:
            return submission
        time.sleep(0.2)
    raise TimeoutError(f"no verdict for assignment {assignment_id} in {VERDICT_TIMEOUT_S} s")


def submit_in_the_page(page: Page, base: str, assignment_id: str, code: str) -> dict[str, Any]:
    editor = page.get_by_role("textbox", name="Your code")
    editor.fill(code)
    page.get_by_role("button", name="Submit", exact=True).click()
    time.sleep(0.3)  # the POST leaves before the first poll
    submission = wait_for_verdict(page.context, base, assignment_id)
    if submission["code"].strip() != code.strip():
        raise RuntimeError("the editor did not take the code as given")
    page.wait_for_timeout(SETTLE_MS)
    return submission


def pass_the_rest(
    context: BrowserContext, base: str, records: dict[str, dict[str, Any]]
) -> list[str]:
    """Submits each assignment's solution; what did not pass, as sentences."""
    problems = []
    for assignment in context.request.get(f"{base}/api/assignments").json():
        done = latest(context, base, assignment["id"])
        if done and done["status"] == "passed":
            continue
        body = {"assignment_id": assignment["id"], "code": records[assignment["title"]]["solution"]}
        posted = context.request.post(f"{base}/api/submissions", data=body)
        if posted.status != 202:
            raise RuntimeError(f"submitting {assignment['title']}: {posted.status} {posted.text()}")
        graded = wait_for_verdict(context, base, assignment["id"])
        if graded["status"] != "passed":
            message = graded["feedback"] and graded["feedback"].get("message")
            problems.append(f"the solution of {assignment['title']} {graded['status']}: {message}")
    return problems


def shoot(page: Page, out: Path, name: str) -> None:
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"  {path}", flush=True)


def run_in_the_page(page: Page, code: str, stdin: str | None = None) -> None:
    """Write `code`, give the run its stdin, press Run and wait for its end."""
    page.get_by_role("textbox", name="Your code").fill(code)
    region = page.get_by_role("region", name="Run your code")
    if stdin is not None:
        region.get_by_label("Input (stdin)").fill(stdin)
    region.get_by_role("button", name="Run", exact=True).click()
    status = page.get_by_role("status", name="Run status")
    status.filter(has_text=re.compile("ran in")).wait_for(timeout=VERDICT_TIMEOUT_S * 1000)
    page.evaluate("() => window.scrollTo(0, 0)")  # the handout column is sticky: at its top
    page.mouse.move(0, 0)  # no button shown hovered
    page.wait_for_timeout(SETTLE_MS)


def runs(page: Page, base: str, out: Path, width: str) -> None:
    """A program's run with stdin, a function's run with a call, and one that raises."""
    listed = page.context.request.get(f"{base}/api/assignments").json()
    ids, records = {a["title"]: a["id"] for a in listed}, curriculum()
    page.goto(f"{base}/assignments/{ids['Sum of two numbers']}/")
    run_in_the_page(page, records["Sum of two numbers"]["solution"], stdin="3 4\n")
    shoot(page, out, f"{width}-assignment-run-output")
    page.goto(f"{base}/assignments/{ids['Count the vowels']}/")
    code = 'def count_vowels(text):\n    print("counting in", text)\n    return 3\n'
    run_in_the_page(page, code)
    shoot(page, out, f"{width}-assignment-run-value")
    run_in_the_page(page, "def count_vowels(text):\n    total = len(text)\n    return total / 0\n")
    shoot(page, out, f"{width}-assignment-run-error")


def one_student(context: BrowserContext, base: str, out: Path, width: str) -> list[str]:
    """Takes this width's screenshots; what kept the all-done one from being taken."""
    records = curriculum()
    page = context.new_page()
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    shoot(page, out, f"{width}-home")

    first = context.request.get(f"{base}/api/assignments").json()[0]
    record = records[first["title"]]
    page.goto(f"{base}/assignments/{first['id']}/")
    page.get_by_role("textbox", name="Your code").wait_for()
    page.get_by_role("textbox", name="Your code").fill("def greet(name)\n    return nmae\n")
    page.locator(".editor-problem").filter(has_text="Line").wait_for()
    shoot(page, out, f"{width}-assignment-editor-problem")
    broken = submit_in_the_page(page, base, first["id"], "print('Hello')\nprint('oops'\n")
    if broken["status"] != "failed":
        raise RuntimeError(f"the broken program was {broken['status']}, not failed")
    shoot(page, out, f"{width}-assignment-load-error")
    failed = submit_in_the_page(page, base, first["id"], record["wrong_solution"])
    if failed["status"] != "failed":
        raise RuntimeError(f"the wrong solution was {failed['status']}, not failed")
    shoot(page, out, f"{width}-assignment-failed")

    passed = submit_in_the_page(page, base, first["id"], record["solution"])
    if passed["status"] != "passed":
        raise RuntimeError(f"the solution was {passed['status']}, not passed")
    page.get_by_role("link", name="Next assignment").wait_for()
    shoot(page, out, f"{width}-assignment-passed")

    page.get_by_role("textbox", name="Your code").fill("# my next idea\nprint('Hello')\n")
    page.wait_for_timeout(SETTLE_MS)  # the draft is kept as it is typed
    page.reload()
    page.get_by_text("has not been submitted").wait_for()
    shoot(page, out, f"{width}-assignment-draft-restored")
    page.get_by_role("button", name="Back to my last submission").click()
    runs(page, base, out, width)

    page.goto(f"{base}/submissions/")
    page.wait_for_load_state("networkidle")
    shoot(page, out, f"{width}-submissions")
    page.get_by_role("listitem").nth(1).get_by_role("link").first.click()  # the failed one
    page.get_by_role("region", name="Feedback").wait_for()
    page.wait_for_timeout(SETTLE_MS)
    shoot(page, out, f"{width}-submission-past")
    page.goto(f"{base}/course/")
    page.get_by_role("table").wait_for()
    shoot(page, out, f"{width}-course")
    page.goto(f"{base}/assignments/not-an-id/")
    page.get_by_role("heading", name="This assignment does not exist").wait_for()
    shoot(page, out, f"{width}-assignment-unknown")

    if problems := pass_the_rest(context, base, records):
        return problems
    page.goto(f"{base}/")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(SETTLE_MS)
    shoot(page, out, f"{width}-home-all-done")
    return []


def dark_failed(context: BrowserContext, base: str, out: Path) -> None:
    """A new student's failed first attempt, with the system's setting asking for dark."""
    page = context.new_page()
    page.goto(f"{base}/")
    page.get_by_role("textbox", name="Your code").wait_for()
    first = context.request.get(f"{base}/api/assignments").json()[0]
    record = curriculum()[first["title"]]
    submit_in_the_page(page, base, first["id"], record["wrong_solution"])
    shoot(page, out, "desktop-dark-assignment-failed")
    run_in_the_page(page, "greeting = 'Hello'\nprint(greeting / 2)\n")
    shoot(page, out, "desktop-dark-assignment-run-error")


def staff_pages(context: BrowserContext, system: stack.System, out: Path) -> None:
    """A student fails then passes the first assignment, an operator re-grades it, the student
    deletes the failed one; then /ops/ and /audit/ (on that student)."""
    base, secret = system.url, system.env["GRINDSTONE_SECRET"]

    def bearer(role: auth.Role) -> dict[str, str]:
        token = auth.issue(secret, auth.Identity(uuid4(), role))
        return {"Authorization": f"Bearer {token}"}

    operator, auditor = bearer("operator"), bearer("auditor")
    session = context.request.post(f"{base}/api/sessions")
    student = {"Authorization": f"Bearer {session.json()['token']}"}
    user_id = session.json()["user_id"]
    first = context.request.get(f"{base}/api/assignments", headers=student).json()[0]
    record = curriculum()[first["title"]]
    made = []
    for code in (record["wrong_solution"], record["solution"]):
        body = {"assignment_id": first["id"], "code": code}
        posted = context.request.post(f"{base}/api/submissions", data=body, headers=student)
        made.append(posted.json()["id"])
        deadline = time.monotonic() + VERDICT_TIMEOUT_S
        while time.monotonic() < deadline:
            found = context.request.get(f"{base}/api/submissions/{made[-1]}", headers=student)
            if found.json().get("status") in FINAL:
                break
            time.sleep(0.2)
    body = {"assignment_id": first["id"]}
    context.request.post(f"{base}/api/ops/regrades", data=body, headers=operator)
    deadline = time.monotonic() + VERDICT_TIMEOUT_S  # the re-grade's verdict, when it comes
    while time.monotonic() < deadline:
        query = f"submission_id={made[-1]}"
        events = context.request.get(f"{base}/api/audit/events?{query}", headers=auditor)
        if sum(e["type"] == "SubmissionGraded" for e in events.json()["items"]) >= 2:
            break
        time.sleep(0.2)
    context.request.delete(f"{base}/api/submissions/{made[0]}", headers=student)

    for path, headers in (("/ops/", operator), ("/audit/", auditor)):
        page = context.new_page()  # a tab of its own: each keeps its own staff token
        page.goto(f"{base}{path}")
        page.get_by_label("Staff token").fill(headers["Authorization"].removeprefix("Bearer "))
        page.get_by_role("button", name="Sign in").click()
        if path == "/ops/":
            page.get_by_role("table").wait_for()
            page.get_by_role("list", name="Live submissions").wait_for()
        else:
            page.get_by_label("Id", exact=True).fill(user_id)
            page.get_by_role("button", name="Look up").click()
            page.get_by_role("status", name="Chain").wait_for()
        page.wait_for_timeout(SETTLE_MS)
        shoot(page, out, f"desktop-{path.strip('/')}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--staff", action="store_true", help="only the staff pages")
    args = parser.parse_args()
    out = args.out.absolute()
    out.mkdir(parents=True, exist_ok=True)
    problems = []
    for variable in ("NATS_URL", "DATABASE_URL", "VALKEY_URL"):  # a fresh system of its own
        os.environ.pop(variable, None)
    with tempfile.TemporaryDirectory(prefix="grindstone-screenshots-") as folder:
        Path(folder).chmod(0o755)  # PostgreSQL runs as an unprivileged user
        env = {"GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0"}
        with (
            stack.running(Path(folder), embedded.free_port(), env, prod=True) as system,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=chromium.EXECUTABLE, args=chromium.ARGS
            )
            for width, (w, h) in {} if args.staff else VIEWPORTS.items():
                print(f"{width} ({w}x{h}):", flush=True)
                phone = width == "phone"
                context = browser.new_context(
                    viewport={"width": w, "height": h}, is_mobile=phone, has_touch=phone
                )
                try:
                    problems += one_student(context, system.url, out, width)
                finally:
                    context.close()
            if not args.staff:
                print("dark theme (desktop):", flush=True)
                context = browser.new_context(
                    viewport=dict(zip(("width", "height"), VIEWPORTS["desktop"], strict=True)),
                    color_scheme="dark",
                )
                try:
                    dark_failed(context, system.url, out)
                finally:
                    context.close()
            print("staff (desktop):", flush=True)
            context = browser.new_context(
                viewport=dict(zip(("width", "height"), VIEWPORTS["desktop"], strict=True))
            )
            try:
                staff_pages(context, system, out)
            finally:
                context.close()
            browser.close()
    for problem in problems:
        print(f"no all-done screenshot: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
