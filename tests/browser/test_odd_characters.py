"""The assignment page shows a submission's code and what it printed exactly, whatever the
characters (docs/design.md, "Characters")."""

import time

from playwright.sync_api import Page, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import GRADED_TIMEOUT_MS
from tests.e2e.test_odd_characters import ODD_PROGRAM, VOWELS
from tests.odd_characters import ODD

# the editor's lines as the page renders them (every line is in view: the program is short)
EDITOR_TEXT = """Array.from(document.querySelectorAll('.cm-content .cm-line'))
    .map(line => line.textContent).join('\\n')"""


def graded(page: Page, base: str, submission_id: str) -> dict:
    deadline = time.monotonic() + GRADED_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        read = page.request.get(f"{base}/api/submissions/{submission_id}").json()
        if read["status"] in ("passed", "failed", "error"):
            return read
        time.sleep(0.1)
    raise AssertionError(f"{submission_id} was not graded in time")


# CodeMirror keeps its document in lines: \r\n and a lone \r show as line breaks (docs/design.md,
# "Characters"); the page shows them so and leaves the stored code as it was
LINE_ENDS = "def count_vowels(text):\r\n    print('a\\r\\nb')\r    return -1\r\n# end\r"


def submit_graded(page: Page, base: str, code: str) -> tuple[str, dict]:
    """Submit `code` to the vowels assignment as the page's student; (assignment id, graded)."""
    listing = page.request.get(base + "/api/assignments").json()
    assignment = next(a for a in listing if a["title"] == VOWELS)
    posted = page.request.post(
        base + "/api/submissions",
        data={"assignment_id": assignment["id"], "code": code},
        headers={"Origin": base},
    )
    assert posted.status == 202, posted.text()
    return assignment["id"], graded(page, base, posted.json()["id"])


def open_assignment(page: Page, base: str, assignment_id: str) -> None:
    page.goto(f"{base}/assignments/{assignment_id}/")
    journey.expect_status(page, "failed")
    expect(page.locator(".cm-content")).to_be_visible()


def test_the_page_shows_odd_code_and_output_exactly(system: stack.System, page: Page):
    journey.open_start(page, system.url)  # a student, with the page's own session
    assignment_id, read = submit_graded(page, system.url, ODD_PROGRAM)
    assert read["status"] == "failed"

    open_assignment(page, system.url, assignment_id)
    assert page.evaluate(EDITOR_TEXT) == ODD_PROGRAM
    outputs = page.locator("details.output pre")
    expect(outputs.first).to_be_attached(timeout=GRADED_TIMEOUT_MS)
    texts = outputs.evaluate_all("nodes => nodes.map(node => node.textContent)")
    assert texts and all(text == ODD for text in texts)


def test_the_page_shows_carriage_returns_as_line_breaks_and_stores_them_as_sent(
    system: stack.System, page: Page
):
    journey.open_start(page, system.url)
    assignment_id, read = submit_graded(page, system.url, LINE_ENDS)
    assert read["code"] == LINE_ENDS

    open_assignment(page, system.url, assignment_id)
    assert page.evaluate(EDITOR_TEXT) == LINE_ENDS.replace("\r\n", "\n").replace("\r", "\n")
    texts = page.locator("details.output pre").evaluate_all("ns => ns.map(n => n.textContent)")
    assert texts and all(text == "a\r\nb\n" for text in texts)
    again = page.request.get(f"{system.url}/api/submissions/{read['id']}").json()
    assert again["code"] == LINE_ENDS
    listed = page.request.get(f"{system.url}/api/submissions?limit=1").json()["items"]
    assert [item["id"] for item in listed] == [read["id"]]  # the page submitted nothing
