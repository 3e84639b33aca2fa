"""The course at a glance and past submissions, in Chromium against the whole system: every
assignment with its state, attempts and points, reached from the top bar, any one opened from
it; a past submission opened from the list with its code and full feedback."""

import re

from playwright.sync_api import Page, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import expect_status, submit


def course_row(page: Page, title: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def test_the_course_shows_every_assignment_and_opens_any(system: stack.System, page: Page):
    first = journey.open_start(page, system.url)
    journey.fail_then_pass(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your course")
    titles = [r["title"] for r in journey.CURRICULUM.values()]
    rows = page.get_by_role("row")
    expect(rows).to_have_count(len(titles) + 1)  # and the header
    expect(page.get_by_text(re.compile(rf"1 of {len(titles)} solved, 100 points"))).to_be_visible()
    solved = course_row(page, first)
    expect(solved).to_contain_text("Solved")
    expect(solved.get_by_role("cell").nth(3)).to_have_text("2")  # attempts
    expect(solved.get_by_role("cell").nth(4)).to_have_text("100")  # points

    later = [t for t in titles if t != first][-1]  # any one, not only the next
    expect(course_row(page, later)).to_contain_text("Not started")
    course_row(page, later).get_by_role("link", name=later, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(later)
    submit(page, "print('not yet')\n")
    expect_status(page, "failed")
    page.goto(system.url + "/course/")
    expect(course_row(page, later)).to_contain_text("Attempted")
    assert journey.open_start(page, system.url) != first  # home still resumes at the first unsolved


def test_a_past_submission_opens_with_its_code_and_feedback(system: stack.System, page: Page):
    title = journey.open_start(page, system.url)
    record = journey.record_for(page)
    journey.fail_then_pass(page)

    page.goto(system.url + "/submissions/")
    rows = page.get_by_role("listitem")
    expect(rows).to_have_count(2)
    rows.last.get_by_role("link", name=title).click()  # the older, failed one
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your submission to {title}")
    expect(page.get_by_text("Failed").first).to_be_visible()
    first_line = record["wrong_solution"].strip().splitlines()[0]
    expect(page.locator("pre.code-block")).to_contain_text(first_line)
    feedback = page.get_by_role("region", name="Feedback")
    expect(feedback.get_by_text("Expected", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Open the assignment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
