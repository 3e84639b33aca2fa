"""The student's whole journey (tests/browser/journey.py) in Debian Chromium against the
production configuration: the built site and replicas behind nginx with
infra/nginx/prod.conf.template, its Content-Security-Policy included."""

from collections.abc import Iterator

import pytest

from grindstone_cli import stack
from tests.e2e import prod_system

# every page reports what its Content-Security-Policy refused
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) =>
  window.cspViolation(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}`));
"""


@pytest.fixture(scope="module")
def prod(servers) -> Iterator[stack.System]:
    with prod_system.running(servers, "prod_browser") as running:
        yield running


def test_a_student_journey_works_through_the_production_configuration(prod, page):
    # imported here: a missing journey fails this test by name rather than the whole collection
    from tests.browser.journey import student_journey

    refused: list[str] = []
    page.expose_function("cspViolation", lambda text: refused.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    student_journey(page, prod.url)
    # style attributes aside: Playwright's fill() types into the editor through the browser's
    # own editing commands, which write some; the pages' styles come from files and a <style>
    # element with the nonce
    needed = [r for r in refused if not r.startswith("style-src-attr ")]
    assert needed == [], "the Content-Security-Policy refused something the pages need"
