"""Feedback that shows the failing case, in Chromium against the whole system: the call and
the input of a failed test, a diff that makes a whitespace-only difference visible, and a
syntax error told once and marked in the editor's gutter."""

from playwright.sync_api import Page, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import expect_status, open_assignment, submit

DOUBLE_SPACED = 'def reverse_words(sentence):\n    return "  ".join(reversed(sentence.split()))\n'


def test_a_failed_test_shows_its_call_and_a_whitespace_only_difference(
    system: stack.System, page: Page
):
    open_assignment(page, system.url, "Reverse the words")
    submit(page, DOUBLE_SPACED)
    expect_status(page, "failed")
    result = page.get_by_role("region", name="Result")
    card = result.get_by_role("listitem").filter(has_text="reverse_words('practice makes perfect')")
    expect(card.locator("code.call")).to_have_text("reverse_words('practice makes perfect')")
    expect(card.get_by_label("Expected")).to_have_text("'perfect makes practice'")
    # the extra spaces are marked, and shown as the sign for a space
    expect(card.locator("mark.diff-extra")).to_have_text(["·", "·"])
    expect(card.get_by_label("Got")).to_have_text("'perfect ·makes· practice'")
    expect(card.get_by_text("· is a space")).to_be_visible()
    expect(result).not_to_contain_text("assert")  # nothing of the hidden tests


def test_a_failed_stdio_test_shows_its_input_and_printed_text(system: stack.System, page: Page):
    journey.open_start(page, system.url)  # the first assignment: Hello, Grindstone (stdio)
    submit(page, 'print("Hello, Grindstone")\n')
    expect_status(page, "failed")
    result = page.get_by_role("region", name="Result")
    card = result.get_by_role("listitem").filter(has_text="ignores any input")
    expect(card.get_by_label("Input (stdin)")).to_have_text("some input nobody asked for")
    expect(card.get_by_label("Expected")).to_have_text("Hello, Grindstone!")  # text, not tokens
    expect(card.locator("mark.diff-missing")).to_have_text("!")
    expect(card.get_by_label("Got")).to_have_text("Hello, Grindstone")


def test_a_syntax_error_is_shown_once_and_marked_in_the_gutter(system: stack.System, page: Page):
    open_assignment(page, system.url, "Reverse the words")
    submit(page, "def reverse_words(sentence):\n    return sentence +\n")
    expect_status(page, "failed")
    result = page.get_by_role("region", name="Result")
    expect(result.get_by_text("Your code could not be loaded", exact=True)).to_have_count(1)
    expect(result.get_by_text("SyntaxError: invalid syntax", exact=True)).to_have_count(1)
    expect(result.locator(".test-skipped")).to_have_count(0)  # no card per test not run
    expect(result.get_by_text("5 tests not run")).to_be_visible()
    gutter = page.locator(".cm-mark-gutter .cm-line-mark")
    expect(gutter).to_have_count(1)
    expect(gutter).to_have_attribute("data-line", "2")
    editor = page.get_by_role("textbox", name="Your code")
    editor.click()
    editor.press("ControlOrMeta+Home")
    expect(page.locator(".cm-activeLine")).to_have_text("def reverse_words(sentence):")
    result.get_by_role("button", name="Your line 2").click()
    expect(page.locator(".cm-activeLine")).to_have_text("    return sentence +")
    expect(editor).to_be_focused()


def test_a_long_value_is_folded_until_asked_for(system: stack.System, page: Page):
    open_assignment(page, system.url, "Reverse the words")
    submit(page, "def reverse_words(sentence):\n    return sentence * 40\n")
    expect_status(page, "failed")
    result = page.get_by_role("region", name="Result")
    card = result.get_by_role("listitem").filter(has_text="reverse_words('practice makes perfect')")
    got = card.get_by_label("Got")
    folded = got.bounding_box()
    show = card.get_by_role("button", name="Show all of the values")
    expect(show).to_have_attribute("aria-expanded", "false")
    show.click()
    expect(card.get_by_role("button", name="Fold the values")).to_have_attribute(
        "aria-expanded", "true"
    )
    opened = got.bounding_box()
    assert folded is not None and opened is not None and opened["height"] > folded["height"]


def test_the_failing_case_fits_a_phone_screen(system: stack.System, page: Page):
    page.set_viewport_size({"width": 375, "height": 812})
    open_assignment(page, system.url, "Reverse the words")
    submit(page, "def reverse_words(sentence):\n    return sentence * 40\n")
    expect_status(page, "failed")
    expect(page.locator("code.call").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
