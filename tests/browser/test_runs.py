"""Ungraded runs in Chromium against the whole system: a program run with stdin shows what it
printed and its time, a function run with a call its value, an error the student's line (marked
in the gutter, and the cursor moved there); Ctrl/Cmd+' runs too; Run waits for its own run,
never for a submission; a silent socket is made up for by reading the run; a refusal is a
sentence; and no run is a submission: none listed, nothing solved, no points."""

import re

from playwright.sync_api import Page, Route, WebSocketRoute, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import expect_run_status, open_assignment, run, run_region

SUM, VOWELS, HELLO = "Sum of two numbers", "Count the vowels", "Hello, Grindstone"
RAN = re.compile(r"Finished: ran in \d+ ms\.")


def test_a_program_run_with_stdin_shows_what_it_printed_and_its_time(
    system: stack.System, page: Page
):
    open_assignment(page, system.url, SUM)
    region = run_region(page)
    expect(region.get_by_label("Call", exact=True)).to_have_count(0)  # a program takes none
    expect(region).to_contain_text("Runs are not graded and not saved as submissions")
    run(page, journey.CURRICULUM[SUM]["solution"], stdin="3 4\n")
    expect_run_status(page, RAN)
    expect(region.get_by_label("Printed (stdout)")).to_have_text("7")
    expect(region.get_by_label("Returned")).to_have_count(0)


def test_a_function_run_with_a_call_shows_its_value(system: stack.System, page: Page):
    open_assignment(page, system.url, VOWELS)
    region = run_region(page)
    call = region.get_by_label("Call", exact=True)
    expect(call).to_have_value('count_vowels("banana")')  # the handout's first example
    run(page, journey.CURRICULUM[VOWELS]["solution"])
    expect_run_status(page, RAN)
    expect(region.get_by_label("Returned")).to_have_text("3")
    code = 'def count_vowels(text):\n    print("looking at", text)\n    return 0\n'
    run(page, code, call='count_vowels("Umbrella")')
    expect(region.get_by_label("Returned")).to_have_text("0")
    expect(region.get_by_label("Printed (stdout)")).to_have_text("looking at Umbrella")
    page.reload()  # the call typed is kept for this assignment
    expect(run_region(page).get_by_label("Call", exact=True)).to_have_value(
        'count_vowels("Umbrella")'
    )


def test_a_run_raising_an_error_shows_the_students_line_and_marks_the_gutter(
    system: stack.System, page: Page
):
    open_assignment(page, system.url, VOWELS)
    run(page, "def count_vowels(text):\n    total = len(text)\n    return total / 0\n")
    expect_run_status(page, re.compile(r"Ended with an error on line 3: ran in \d+ ms\."))
    region = run_region(page)
    expect(region.get_by_text("ZeroDivisionError", exact=False).first).to_be_visible()
    expect(region.get_by_text("return total / 0", exact=True)).to_be_visible()
    gutter = page.locator(".cm-mark-gutter .cm-line-mark")
    expect(gutter).to_have_count(1)
    expect(gutter).to_have_attribute("data-line", "3")
    expect(gutter).to_have_attribute("title", re.compile("ZeroDivisionError"))
    editor = page.get_by_role("textbox", name="Your code")
    editor.click()
    editor.press("ControlOrMeta+Home")
    region.get_by_role("button", name="Your line 3").click()
    expect(page.locator(".cm-activeLine")).to_have_text("    return total / 0")
    expect(editor).to_be_focused()
    run(page, journey.CURRICULUM[VOWELS]["solution"])  # a run without an error unmarks it
    expect_run_status(page, RAN)
    expect(gutter).to_have_count(0)


def test_the_keyboard_shortcut_runs(system: stack.System, page: Page):
    open_assignment(page, system.url, HELLO)
    expect(page.get_by_text("Ctrl+' (⌘+' on a Mac) runs your code")).to_be_visible()
    journey.write_code(page, 'print("Hello from a shortcut")\n')
    page.get_by_role("textbox", name="Your code").press("ControlOrMeta+'")
    expect_run_status(page, RAN)
    expect(run_region(page).get_by_label("Printed (stdout)")).to_have_text("Hello from a shortcut")


def test_run_waits_for_its_own_run_and_not_for_a_submission(system: stack.System, page: Page):
    open_assignment(page, system.url, HELLO)
    journey.submit(page, 'import time\ntime.sleep(3)\nprint("Hello, Grindstone!")\n')
    expect(journey.submission_status(page)).to_contain_text(re.compile("Pending|Grading"))
    button = run_region(page).get_by_role("button", name="Run", exact=True)
    expect(button).to_be_enabled()  # a submission grading does not hold Run
    run(page, 'import time\ntime.sleep(2)\nprint("slow run")\n')
    expect(button).to_be_disabled()  # its own run does
    expect_run_status(page, "Running…")
    expect(run_region(page).get_by_label("Printed (stdout)")).to_have_text(
        "slow run", timeout=journey.GRADED_TIMEOUT_MS
    )
    expect(button).to_be_enabled()
    journey.expect_status(page, "passed")


def test_runs_are_not_submissions(system: stack.System, page: Page):
    open_assignment(page, system.url, SUM)
    run(page, journey.CURRICULUM[SUM]["solution"], stdin="1 2")
    expect(run_region(page).get_by_label("Printed (stdout)")).to_have_text("3")
    open_assignment(page, system.url, VOWELS)
    run(page, journey.CURRICULUM[VOWELS]["solution"])
    expect(run_region(page).get_by_label("Returned")).to_have_text("3")
    expect(journey.submission_status(page)).to_contain_text("No submission yet")
    journey.expect_points(page, 0)
    page.goto(system.url + "/submissions/")
    expect(page.get_by_text("You have not submitted anything yet")).to_be_visible()
    page.goto(system.url + "/course/")
    rows = page.get_by_role("row").filter(has=page.get_by_role("link"))
    expect(rows.filter(has_text=SUM)).to_contain_text("Not started")
    expect(rows.filter(has_text=VOWELS)).to_contain_text("Not started")
    assert page.request.get(system.url + "/api/progress").json()["completed"] == []


def test_a_run_shows_its_output_when_the_socket_stays_silent(system: stack.System, page: Page):
    silent: list[WebSocketRoute] = []

    def hold(route: WebSocketRoute) -> None:
        silent.append(route)  # open, and never a message

    page.route_web_socket(re.compile(r"/ws"), hold)
    read: list[str] = []
    page.on("request", lambda r: read.append(r.url) if "/api/runs/" in r.url else None)
    open_assignment(page, system.url, SUM)
    run(page, journey.CURRICULUM[SUM]["solution"], stdin="20 22")
    expect(run_region(page).get_by_label("Printed (stdout)")).to_have_text("42")
    assert silent and read  # the socket was there, and the result came by reading the run


def test_a_refused_run_says_why_and_run_is_offered_again(system: stack.System, page: Page):
    open_assignment(page, system.url, VOWELS)
    run(page, journey.CURRICULUM[VOWELS]["solution"], call="x = 1")  # not one expression
    alert = run_region(page).get_by_role("alert")
    expect(alert).to_contain_text("expression")
    expect_run_status(page, "Not run.")
    detail = "You can run your code at most 30 times a minute; try again in 12 seconds."

    def too_many(route: Route) -> None:
        body = {"error": "rate_limited", "detail": detail}
        route.fulfill(status=429, json=body, headers={"Retry-After": "12"})

    page.route("**/api/runs", too_many)  # the limit is off in this system: its answer, as sent
    run(page, journey.CURRICULUM[VOWELS]["solution"], call='count_vowels("abc")')
    expect(alert).to_have_text(detail)
    expect(run_region(page).get_by_role("button", name="Run", exact=True)).to_be_enabled()
