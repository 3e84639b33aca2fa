"""The editor marks what Python would refuse as the student types, with no request to the
server: a syntax error and a name defined nowhere, in the gutter and in a sentence, cleared
once the code is right."""

from playwright.sync_api import Page, expect

from grindstone_cli import stack
from tests.browser import journey


def test_a_syntax_error_and_an_undefined_name_are_marked_as_the_student_types(
    system: stack.System, page: Page
):
    journey.open_start(page, system.url)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    problem = page.locator(".editor-problem")
    gutter = page.locator(".cm-lint-marker-error")

    journey.write_code(page, "def greet(name)\n    return 'Hello, ' + name\n")
    expect(problem).to_have_text("Line 1: A ':' is missing at the end of this line.")
    expect(gutter).to_have_count(1)

    journey.write_code(page, "def greet(name):\n    return 'Hello, ' + nmae\n")
    expect(problem).to_contain_text("Line 2: 'nmae' is not defined anywhere in your code")
    expect(page.locator(".cm-lintRange-error")).to_have_text("nmae")

    journey.write_code(page, "def greet(name):\n    return 'Hello, ' + name\n")
    expect(problem).to_be_empty()
    expect(gutter).to_have_count(0)
    assert not [url for url in asked if "/api/" in url], asked
