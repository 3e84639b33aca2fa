"""`/api/docs` in Chromium: the page lists the operations of both APIs, under the site's
Content-Security-Policy (no console error)."""

from playwright.sync_api import Page, expect

from grindstone_cli import stack


def test_the_docs_page_lists_both_apis(page: Page, system: stack.System):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{system.url}/api/docs")
    expect(page.get_by_role("heading", name="GET /api/assignments", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/submissions", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Command API (writes)")).to_be_visible()
    assert [url for url in failed if not url.endswith("/favicon.ico")] == []
    assert all("Content Security Policy" not in error for error in errors), errors
