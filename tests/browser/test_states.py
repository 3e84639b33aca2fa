"""States that tell the truth, in Chromium against the whole system: Submit is off while an
attempt waits, the "still waiting" alert ends with the wait, "Solved" stays after a later
failure, each attempt shows its tests passed out of all, and Delete asks first and says what
it did."""

import re

from playwright.sync_api import Page, WebSocketRoute, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import GRADED_TIMEOUT_MS, expect_status, submit

SOLVED = re.compile(r"^\W*Solved$")  # the mark beside the title (its ✓ is decoration)


def slowly(code: str, tag: str) -> str:
    return f"import time\ntime.sleep(2)  # {tag}\n{code}"


def test_submit_is_off_while_waiting_and_solved_stays_after_a_later_failure(
    system: stack.System, page: Page
):
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    button = page.get_by_role("button", name="Submit")
    submit(page, slowly(record["solution"], "solve"))
    expect(button).to_be_disabled()
    expect(page.get_by_text("Grading your last submission")).to_be_visible()
    expect_status(page, "passed")
    expect(button).to_be_enabled()
    expect(page.get_by_text(SOLVED)).to_be_visible()

    submit(page, record["wrong_solution"])
    expect_status(page, "failed")
    expect(page.get_by_text(SOLVED)).to_be_visible()  # a pass is not taken back
    attempts = page.get_by_role("region", name="Your attempts").get_by_role("listitem")
    expect(attempts).to_have_count(2)
    expect(attempts.nth(0)).to_contain_text(re.compile(r"0 of \d+ tests passed"))
    expect(attempts.nth(1)).to_contain_text(re.compile(r"(\d+) of \1 tests passed"))
    page.reload()
    expect(page.get_by_text(SOLVED)).to_be_visible()


def test_the_still_waiting_alert_ends_when_the_wait_does(system: stack.System, page: Page):
    """A second tab whose live socket is silent does not know the first tab's attempt waits:
    its Submit gets the 409, and the alert goes once that attempt's verdict arrives."""
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    other = page.context.new_page()
    silenced: list[WebSocketRoute] = []

    def socket(route: WebSocketRoute) -> None:
        if silenced:
            route.connect_to_server()  # a reconnect reaches the server again
        else:
            silenced.append(route)  # the first socket answers nothing

    other.route_web_socket(re.compile(r"/ws"), socket)
    other.goto(page.url)
    journey.assignment_title(other)
    submit(page, slowly(record["solution"], "other tab"))
    expect(journey.submission_status(page)).to_contain_text(re.compile("pending|grading", re.I))

    journey.submit(other, record["wrong_solution"])
    alert = other.get_by_role("alert")
    expect(alert).to_contain_text("still waiting for its verdict")
    expect(other.get_by_role("button", name="Submit")).to_be_disabled()
    silenced[0].close()  # the silent socket drops; the page reconnects and catches up
    expect_status(other, "passed")
    expect(alert).to_be_hidden(timeout=GRADED_TIMEOUT_MS)


def test_delete_asks_first_and_says_what_it_did(system: stack.System, page: Page):
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    submit(page, record["wrong_solution"])
    expect_status(page, "failed")
    page.goto(system.url + "/submissions/")
    rows = page.get_by_role("listitem")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(re.compile(r"\d+ of \d+ tests passed"))
    rows.first.get_by_role("button", name="Delete").click()
    rows.first.get_by_role("button", name="Cancel").click()
    expect(rows).to_have_count(1)  # nothing deleted
    rows.first.get_by_role("button", name="Delete").click()
    rows.first.get_by_role("button", name="Confirm delete").click()
    expect(rows).to_have_count(0)
    notice = page.get_by_role("status").filter(has_text="Deleted your submission")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(record["title"])


def test_delete_while_grading_asks_and_says_what_it_did(system: stack.System, page: Page):
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    submit(page, slowly(record["solution"], "deleted while grading"))
    page.goto(system.url + "/submissions/")
    rows = page.get_by_role("listitem")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(re.compile("pending|grading", re.I))
    rows.first.get_by_role("button", name="Delete").click()
    rows.first.get_by_role("button", name="Confirm delete").click()
    expect(rows).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text="Deleted your submission")).to_be_visible()
