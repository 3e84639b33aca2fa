"""Every staff endpoint and page through nginx, in development and in production: a student's
token gets 403 and no token 401 (JSON errors), the role's own token goes through, and the
staff pages are served (they ask for a token; tests/browser/test_staff_pages.py drives them)."""

from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest

from common import auth
from grindstone_cli import stack

# (method, path, body, the role it is for)
STAFF_ENDPOINTS = [
    ("GET", "/api/ops/summary", None, "operator"),
    ("GET", "/api/ops/submissions", None, "operator"),
    ("POST", "/api/ops/regrades", {"assignment_id": str(uuid4())}, "operator"),
    ("GET", "/api/audit/events", None, "auditor"),
]


@pytest.fixture(scope="module")
def system(dev_or_prod: stack.System) -> stack.System:
    return dev_or_prod


@pytest.fixture
def http(system: stack.System) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.url, timeout=10) as client:
        yield client


def bearer(system: stack.System, role: auth.Role) -> dict[str, str]:
    token = auth.issue(system.env["GRINDSTONE_SECRET"], auth.Identity(uuid4(), role))
    return {"Authorization": f"Bearer {token}"}


def test_every_staff_endpoint_refuses_students_and_strangers(system, http):
    session = http.post("/api/sessions")  # the student's cookie is kept by the client too
    student = {"Authorization": f"Bearer {session.json()['token']}"}
    for method, path, body, role in STAFF_ENDPOINTS:
        for headers in [student, {}]:  # the student's token, then their session cookie alone
            answer = http.request(method, path, json=body, headers=headers)
            assert answer.status_code == 403, (method, path, answer.text)
            assert set(answer.json()) == {"error", "detail"}
        with httpx.Client(base_url=system.url, timeout=10) as stranger:
            answer = stranger.request(method, path, json=body)
            assert answer.status_code == 401, (method, path, answer.text)
        own = http.request(method, path, json=body, headers=bearer(system, role))
        assert own.status_code in (200, 202), (method, path, own.text)


def test_the_staff_pages_are_served_and_ask_for_a_token(http):
    for path in ["/ops/", "/audit/"]:
        answer = http.get(path)
        assert answer.status_code == 200
        assert '<div id="app"></div>' in answer.text
