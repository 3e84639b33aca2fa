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


def test_the_page_shows_odd_code_and_output_exactly(system: stack.System, page: Page):
    journey.open_start(page, system.url)  # a student, with the page's own session
    listing = page.request.get(system.url + "/api/assignments").json()
    assignment = next(a for a in listing if a["title"] == VOWELS)
    posted = page.request.post(
        system.url + "/api/submissions",
        data={"assignment_id": assignment["id"], "code": ODD_PROGRAM},
        headers={"Origin": system.url},
    )
    assert posted.status == 202, posted.text()
    assert graded(page, system.url, posted.json()["id"])["status"] == "failed"

    page.goto(f"{system.url}/assignments/{assignment['id']}/")
    journey.expect_status(page, "failed")
    expect(page.locator(".cm-content")).to_be_visible()
    assert page.evaluate(EDITOR_TEXT) == ODD_PROGRAM
    outputs = page.locator("details.output pre")
    expect(outputs.first).to_be_attached(timeout=GRADED_TIMEOUT_MS)
    texts = outputs.evaluate_all("nodes => nodes.map(node => node.textContent)")
    assert texts and all(text == ODD for text in texts)
