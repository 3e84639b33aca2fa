"""Pages for when things go wrong, in Chromium against the whole system: an unknown or
malformed assignment, a lost API and a server error each get a heading, a sentence a student
understands and a way on (try again, back to the course)."""

import re
from uuid import uuid4

from playwright.sync_api import Page, Route, expect

from grindstone_cli import stack
from tests.browser import journey

ASSIGNMENT_API = re.compile(r"/api/assignments/[^/?]+$")


def expect_problem(page: Page, title: str, sentence: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text(sentence)).to_be_visible()
    expect(page.get_by_role("link", name="Back to the course")).to_be_visible()


def test_an_unknown_or_malformed_assignment_says_so_and_leads_back(
    system: stack.System, page: Page
):
    for wrong in (str(uuid4()), "not-an-id"):
        page.goto(f"{system.url}/assignments/{wrong}/")
        expect_problem(page, "This assignment does not exist", "There is no assignment at")
        expect(page.get_by_text("UUID")).to_have_count(0)
        expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    page.get_by_role("link", name="Back to the course").click()
    journey.assignment_title(page)  # the course goes on at the first assignment not passed


def test_a_lost_api_and_a_server_error_each_offer_to_try_again(system: stack.System, page: Page):
    first = journey.open_start(page, system.url)
    url = page.url

    page.route(ASSIGNMENT_API, lambda route: route.abort("connectionrefused"))
    page.goto(url)
    expect_problem(page, "Grindstone cannot be reached", "Your connection or our server is down")
    page.unroute(ASSIGNMENT_API)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)

    def fail(route: Route) -> None:
        route.fulfill(
            status=500,
            content_type="application/json",
            body='{"error": "internal", "detail": "The server failed."}',
        )

    page.route(ASSIGNMENT_API, fail)
    page.goto(url)
    expect_problem(page, "Something went wrong on our side", "The server could not answer")
    page.unroute(ASSIGNMENT_API)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first)

    page.route(re.compile(r"/api/submissions\?"), lambda route: route.abort("connectionrefused"))
    page.goto(system.url + "/submissions/")
    expect_problem(page, "Grindstone cannot be reached", "Your connection or our server is down")
    page.unroute(re.compile(r"/api/submissions\?"))
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your submissions")


def test_the_course_and_a_submission_have_their_error_pages_too(system: stack.System, page: Page):
    journey.open_start(page, system.url)
    listing = re.compile(r"/api/assignments$")

    def gateway(route: Route) -> None:
        route.fulfill(status=502, content_type="text/html", body="<h1>502 Bad Gateway</h1>")

    page.route(listing, gateway)
    page.goto(system.url + "/course/")
    expect_problem(page, "Grindstone cannot be reached", "Your connection or our server is down")
    page.unroute(listing)
    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your course")

    page.goto(f"{system.url}/submissions/?id={uuid4()}")
    expect_problem(page, "This submission does not exist", "There is no submission at")
    page.get_by_role("link", name="Back to the course").click()
    journey.assignment_title(page)
