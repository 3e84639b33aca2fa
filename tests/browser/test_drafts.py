"""Drafts in Chromium against the whole system: what the student types survives a reload
and a return, "Restore the starter code" and "Back to my last submission" put back what they
name, and leaving with code not yet submitted asks first."""

from playwright.sync_api import Dialog, Page, expect

from grindstone_cli import stack
from tests.browser import journey
from tests.browser.journey import expect_status, submit


def editor_text(page: Page) -> str:
    return page.get_by_role("textbox", name="Your code").inner_text()


def test_a_draft_survives_a_reload_and_both_ways_back_are_explicit(
    system: stack.System, page: Page
):
    journey.open_start(page, system.url)
    record = journey.record_for(page)
    starter = editor_text(page)

    journey.write_code(page, "print('half done')  # draft one")
    page.reload()
    expect(page.get_by_role("textbox", name="Your code")).to_contain_text("# draft one")
    expect(page.get_by_text("has not been submitted")).to_be_visible()

    page.get_by_role("button", name="Restore the starter code").click()
    assert editor_text(page) == starter
    page.reload()  # the starter is no draft: nothing to restore
    assert editor_text(page) == starter
    expect(page.get_by_text("has not been submitted")).to_have_count(0)

    submit(page, record["wrong_solution"])
    expect_status(page, "failed")
    journey.write_code(page, "print('second try')  # draft two")
    page.goto(system.url + "/submissions/")  # away and back: the draft is still there
    page.go_back()
    expect(page.get_by_role("textbox", name="Your code")).to_contain_text("# draft two")
    page.get_by_role("button", name="Back to my last submission").click()
    expect(page.get_by_role("textbox", name="Your code")).to_contain_text(
        record["wrong_solution"].strip().splitlines()[0]
    )
    expect(page.get_by_role("button", name="Back to my last submission")).to_have_count(0)


def test_a_choice_over_typed_code_can_be_undone(system: stack.System, page: Page):
    journey.open_start(page, system.url)
    starter = editor_text(page)
    journey.write_code(page, "print('typed')  # not submitted")
    page.get_by_role("button", name="Restore the starter code").click()
    assert editor_text(page) == starter
    expect(page.get_by_role("status").filter(has_text="was replaced")).to_be_visible()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("textbox", name="Your code")).to_contain_text("# not submitted")
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)
    page.reload()  # the draft Undo brought back is kept again
    expect(page.get_by_role("textbox", name="Your code")).to_contain_text("# not submitted")


def test_leaving_with_code_not_submitted_asks_first(system: stack.System, page: Page):
    journey.open_start(page, system.url)
    journey.write_code(page, "print('not yet submitted')")
    page.on("dialog", lambda dialog: dialog.dismiss())  # the student chooses to stay
    with page.expect_event("dialog") as shown:
        page.get_by_role("link", name="Your submissions").click()
    dialog: Dialog = shown.value
    assert dialog.type == "beforeunload"
    expect(page.get_by_role("textbox", name="Your code")).to_contain_text("not yet submitted")
    assert "/assignments/" in page.url
