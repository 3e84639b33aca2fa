"""A student's steps through the site, reusable against any deployment (dev or production).

Names the pages give for this (web/README.md): the editor "Your code", the button "Submit",
the status region "Submission status", the link "Next assignment", the top bar's "Points";
for runs, the region "Run your code" with "Input (stdin)", "Call", the button "Run" and the
status "Run status".
"""

import json
import re

from playwright.sync_api import Page, expect

from grindstone_cli import stack

GRADED_TIMEOUT_MS = 30_000  # the grader takes a few ms to a second; a cold start more
CURRICULUM = {
    record["title"]: record
    for record in map(json.loads, stack.CURRICULUM.read_text().splitlines())
    if record
}
ASSIGNMENT_PATH = re.compile(r"/assignments/[^/]+/$")


def open_start(page: Page, base_url: str) -> str:
    """Open `/`, which goes on to the first assignment not yet passed; its title."""
    page.goto(base_url + "/")
    expect(page).to_have_url(ASSIGNMENT_PATH, timeout=GRADED_TIMEOUT_MS)
    return assignment_title(page)


def open_assignment(page: Page, base_url: str, title: str) -> None:
    """A session first (through `/`), then the assignment called `title`."""
    open_start(page, base_url)
    listed = page.request.get(base_url + "/api/assignments").json()
    items = listed["items"] if isinstance(listed, dict) else listed
    (found,) = [item for item in items if item["title"] == title]
    page.goto(f"{base_url}/assignments/{found['id']}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def assignment_title(page: Page) -> str:
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text("", timeout=GRADED_TIMEOUT_MS)
    return heading.inner_text()


def record_for(page: Page) -> dict:
    """The curriculum record of the assignment on show (solution and wrong_solution)."""
    return CURRICULUM[assignment_title(page)]


def write_code(page: Page, code: str) -> None:
    page.get_by_role("textbox", name="Your code").fill(code)


def paste_code(page: Page, code: str) -> None:
    """Replace the editor's text the way a paste does (quicker than typing for long code)."""
    editor = page.get_by_role("textbox", name="Your code")
    editor.click()
    editor.press("ControlOrMeta+a")
    editor.evaluate(
        """(node, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const init = {clipboardData: data, bubbles: true, cancelable: true};
            node.dispatchEvent(new ClipboardEvent("paste", init));
        }""",
        code,
    )


def submit(page: Page, code: str) -> None:
    write_code(page, code)
    page.get_by_role("button", name="Submit").click()


def submission_status(page: Page):
    return page.get_by_role("status", name="Submission status")


def expect_status(page: Page, word: str) -> None:
    try:
        expect(submission_status(page)).to_contain_text(
            word, ignore_case=True, timeout=GRADED_TIMEOUT_MS
        )
    except AssertionError as exc:  # say whether the server or the page is behind
        newest = page.request.get(page.url.split("/assignments/")[0] + "/api/submissions?limit=1")
        raise AssertionError(f"{exc}\nthe server's newest submission: {newest.text()}") from None


def expect_points(page: Page, points: int) -> None:
    expect(page.get_by_label("Points")).to_have_text(f"{points} points", timeout=GRADED_TIMEOUT_MS)


def fail_then_pass(page: Page) -> None:
    """On an assignment page: a wrong solution shows its feedback, a right one success."""
    record = record_for(page)
    submit(page, record["wrong_solution"])
    expect_status(page, "failed")
    result = page.get_by_role("region", name="Result")
    expect(result.get_by_text("Expected", exact=True).first).to_be_visible()
    expect(result.get_by_text("Got", exact=True).first).to_be_visible()
    submit(page, record["solution"])
    expect_status(page, "passed")
    expect(result.get_by_text("Well done")).to_be_visible()


def go_next(page: Page, previous_title: str) -> str:
    """Follow "Next assignment"; the title of the assignment it opened."""
    page.get_by_role("link", name="Next assignment").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).not_to_have_text(previous_title, timeout=GRADED_TIMEOUT_MS)
    return assignment_title(page)


def student_journey(page: Page, base_url: str) -> None:
    """A new student fails then passes the first assignment (+100 points), goes on to the
    next, and a fresh visit to `/` resumes there."""
    first = open_start(page, base_url)
    expect_points(page, 0)
    fail_then_pass(page)
    expect_points(page, 100)
    second = go_next(page, first)
    assert second != first
    expect_points(page, 100)
    assert open_start(page, base_url) == second


def run_region(page: Page):
    return page.get_by_role("region", name="Run your code")


def run(page: Page, code: str, stdin: str | None = None, call: str | None = None) -> None:
    """Write `code`, give the run its input (and call), press Run."""
    write_code(page, code)
    region = run_region(page)
    if stdin is not None:
        region.get_by_label("Input (stdin)").fill(stdin)
    if call is not None:
        region.get_by_label("Call", exact=True).fill(call)
    region.get_by_role("button", name="Run", exact=True).click()


def expect_run_status(page: Page, text: str | re.Pattern[str]) -> None:
    status = page.get_by_role("status", name="Run status")
    expect(status).to_contain_text(text, timeout=GRADED_TIMEOUT_MS)
