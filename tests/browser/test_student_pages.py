"""The student pages in Chromium against the whole system: feedback, success, points, live
updates, resuming, errors as sentences, safe handouts, and a phone-sized screen."""

import json
import re
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import GRADED_TIMEOUT_MS, expect_points, expect_status, submit


def slowly(code: str, tag: str) -> str:
    """The code, kept grading for a while; `tag` makes it new (no earlier verdict reused)."""
    return f"import time\ntime.sleep(3)  # {tag}\n{code}"


def test_a_student_fails_passes_goes_on_and_resumes_there(system: stack.System, page: Page):
    journey.student_journey(page, system.url)


def test_passing_the_same_assignment_again_adds_no_points(system: stack.System, page: Page):
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    for _ in range(2):
        submit(page, record["solution"])
        expect_status(page, "passed")
        # the link appears once the progress including this verdict has been read
        expect(page.get_by_role("link", name="Next assignment")).to_be_visible()
        expect_points(page, 100)
    page.reload()
    expect_points(page, 100)


def test_a_submission_from_another_page_appears_live_and_changes_status(
    system: stack.System, context: BrowserContext
):
    watcher, worker = context.new_page(), context.new_page()
    journey.open_start(worker, system.url)
    watcher.goto(system.url + "/submissions/")
    expect(watcher.get_by_text("You have not submitted anything yet")).to_be_visible()
    record = journey.record_for(worker)
    submit(worker, slowly(record["solution"], "live"))
    rows = watcher.get_by_role("listitem")
    expect(rows).to_have_count(1, timeout=GRADED_TIMEOUT_MS)
    expect(rows.first).to_contain_text(record["title"])
    expect(rows.first).to_contain_text("Passed", timeout=GRADED_TIMEOUT_MS)
    expect_points(watcher, 100)
    rows.first.get_by_role("button", name="Delete").click()
    rows.first.get_by_role("button", name="Confirm delete").click()
    expect(rows).to_have_count(0)


def test_submit_waits_while_grading_and_code_too_long_gets_a_sentence(
    system: stack.System, page: Page
):
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    submit(page, slowly(record["solution"], "conflict"))
    expect(journey.submission_status(page)).to_contain_text(re.compile("pending|grading", re.I))
    expect(page.get_by_role("button", name="Submit")).to_be_disabled()  # one waits at a time
    expect_status(page, "passed")
    alert = page.get_by_role("alert")
    journey.paste_code(page, "x = 1\n" * 12_000)  # 72,000 bytes
    page.get_by_role("button", name="Submit").click()
    expect(alert).to_contain_text("64 KiB")


HANDOUT = """# Handout with traps

<script>window.__ran = "script"</script>
<img src="x" onerror="window.__ran = 'img'">
[a link](javascript:window.__ran='link')

```python
print("Hello, Grindstone!")
```
"""


def load_trap_assignment(system: stack.System, tmp_path: Path) -> str:
    record = dict(next(iter(journey.CURRICULUM.values())))
    record.update(id="browser/traps", title="Handout with traps", handout=HANDOUT)
    problem_set = tmp_path / "traps.jsonl"
    problem_set.write_text(json.dumps(record) + "\n")
    argv = [
        sys.executable,
        "-m",
        "grindstone_cli",
        "assignments",
        "load",
        str(problem_set),
        "--json",
    ]
    done = subprocess.run(argv, env=system.env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[0])["assignment_id"]


def test_a_handouts_script_and_javascript_links_do_not_run(
    system: stack.System, page: Page, tmp_path: Path
):
    assignment_id = load_trap_assignment(system, tmp_path)
    journey.open_start(page, system.url)  # a session; `/` has gone on to an assignment by now
    url = f"{system.url}/assignments/{assignment_id}/"
    for _ in range(100):  # until the projector has the new assignment
        if page.request.get(f"{system.url}/api/assignments/{assignment_id}").ok:
            break
        page.wait_for_timeout(100)
    page.goto(url)
    handout = page.locator(".handout")
    expect(handout).to_contain_text('<script>window.__ran = "script"</script>')
    expect(handout.locator("script, img")).to_have_count(0)
    expect(handout.get_by_role("link")).to_have_count(0)
    expect(handout.locator("pre .tok-variableName").first).to_be_visible()  # highlighted
    handout.get_by_text("a link").click()
    assert page.evaluate("window.__ran") is None


def test_the_pages_fit_a_375_pixel_wide_screen(system: stack.System, page: Page):
    page.set_viewport_size({"width": 375, "height": 800})
    journey.open_start(page, system.url)
    submit(page, journey.record_for(page)["wrong_solution"])
    expect_status(page, "failed")
    for path in ("", "/submissions/"):
        if path:
            page.goto(system.url + path)
            expect(page.get_by_role("listitem")).to_have_count(1)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path or 'the assignment page'} scrolls sideways ({width} px)"
