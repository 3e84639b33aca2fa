"""axe-core (web/node_modules/axe-core, from npm) on every page and state of the site, at a
desktop and a phone width and in the dark theme: no violation of any rule axe runs by
default (WCAG 2 A and AA, best practices)."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from grindstone_cli import stack
from tests.browser import journey, staff
from tests.browser.journey import expect_status, submit

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
VIEWS = {  # name: (width, height, the system's colour scheme)
    "desktop": (1280, 800, "light"),
    "phone": (375, 812, "light"),
    "dark": (1280, 800, "dark"),
}


def violations(page: Page) -> list[str]:
    """axe's violations on the page as it is now, one line each with the nodes it names."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated by the browser, not the page's CSP
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + json.dumps([node["target"] for node in v["nodes"]][:5])
        for v in found
    ]


class Findings(list[str]):
    """Every state's violations, asserted at the end: one run names them all."""

    def check(self, page: Page, state: str) -> None:
        self.extend(f"{state}: {line}" for line in violations(page))

    def assert_none(self) -> None:
        assert not self, "\n".join(self)


@pytest.fixture(params=sorted(VIEWS), ids=sorted(VIEWS))
def sized(request, browser: Browser) -> Iterator[tuple[str, Page]]:
    width, height, scheme = VIEWS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=scheme,  # type: ignore[arg-type]
    )
    try:
        yield request.param, context.new_page()
    finally:
        context.close()


def test_the_student_pages_have_no_axe_violation_in_any_state(
    system: stack.System, sized: tuple[str, Page]
):
    width, page = sized
    seen = Findings()
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    seen.check(page, f"{width}: a new assignment")
    journey.write_code(page, "def f(x)\n    return y\n")
    expect(page.locator(".editor-problem")).not_to_be_empty()
    seen.check(page, f"{width}: a problem marked in the editor")
    journey.run(page, "name = input()\nprint('Hello,', name)\n", stdin="Ada")
    expect(journey.run_region(page).get_by_label("Printed (stdout)")).to_have_text("Hello, Ada")
    seen.check(page, f"{width}: a run's output")
    journey.run(page, "x = 1\nprint(x / 0)\n")
    journey.expect_run_status(page, "Ended with an error on line 2")
    seen.check(page, f"{width}: a run's error")
    submit(page, f"import time\ntime.sleep(2)  # {width}\n{record['wrong_solution']}")
    status = journey.submission_status(page)
    expect(status).to_contain_text(re.compile("Pending|Grading"))  # before the verdict
    # announced as it changes: a live region that is never marked busy
    assert status.get_attribute("aria-busy") != "true"
    seen.check(page, f"{width}: waiting for a verdict")
    submit(page, "def broken(:\n")
    expect_status(page, "failed")
    seen.check(page, f"{width}: a syntax error")
    submit(page, record["wrong_solution"])
    expect_status(page, "failed")
    seen.check(page, f"{width}: a failed attempt")
    submit(page, record["solution"])
    expect_status(page, "passed")
    expect(page.get_by_role("link", name="Next assignment")).to_be_visible()
    seen.check(page, f"{width}: passed")
    page.goto(system.url + "/submissions/")
    expect(page.get_by_role("listitem").first).to_contain_text("Passed")
    seen.check(page, f"{width}: the submissions")
    page.get_by_role("listitem").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your submission to")
    seen.check(page, f"{width}: a past submission")
    page.goto(system.url + "/course/")
    expect(page.get_by_role("table")).to_be_visible()
    seen.check(page, f"{width}: the course")
    journey.open_assignment(page, system.url, "Count the vowels")
    journey.run(page, journey.CURRICULUM["Count the vowels"]["solution"])
    expect(journey.run_region(page).get_by_label("Returned")).to_have_text("3")
    seen.check(page, f"{width}: a function's run (its call and value)")
    page.goto(system.url + "/assignments/not-an-id/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This assignment does not exist")
    seen.check(page, f"{width}: an unknown assignment")
    page.route("**/api/progress*", lambda route: route.abort("connectionrefused"))
    page.goto(system.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Grindstone cannot be reached")
    seen.check(page, f"{width}: the API lost")
    seen.assert_none()


def test_the_staff_pages_have_no_axe_violation(system: stack.System, sized: tuple[str, Page]):
    width, first = sized
    seen = Findings()
    for path, role in (("/ops/", "operator"), ("/audit/", "auditor")):
        page = first.context.new_page()  # a tab of its own: the staff token is kept per tab
        page.goto(system.url + path)
        expect(page.get_by_label("Staff token")).to_be_visible()
        seen.check(page, f"{width}: {path} sign-in")
        staff.sign_in(page, system.url + path, staff.token(system, role))  # type: ignore[arg-type]
        expect(page.get_by_label("Staff token")).to_have_count(0)
        seen.check(page, f"{width}: {path} signed in")
    seen.assert_none()
