"""The contract's cross-site rules through nginx, in development and in production: every
cookie-authenticated write and the `/ws` handshake from a foreign Origin are refused, our own
origin goes through, a write's body must be JSON; security headers on every answer."""

from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from grindstone_cli import stack

FOREIGN = "https://evil.example"


@pytest.fixture(scope="module")
def system(dev_or_prod: stack.System) -> stack.System:
    return dev_or_prod


@pytest.fixture
def http(system: stack.System) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.url, timeout=10) as client:
        yield client


def writes(http: httpx.Client) -> list[tuple[str, str, dict]]:
    assert http.post("/api/sessions").status_code == 201  # the cookie is kept
    assignment = http.get("/api/assignments").json()[0]["id"]
    body = {"assignment_id": assignment, "code": "print('hi')\n"}
    created = http.post("/api/submissions", json=body)
    assert created.status_code == 202, created.text
    return [
        ("POST", "/api/sessions", {}),
        ("POST", "/api/submissions", {"json": body}),
        ("DELETE", f"/api/submissions/{created.json()['id']}", {}),
    ]


def test_cookie_writes_from_a_foreign_origin_are_refused(http):
    for method, path, kwargs in writes(http):
        response = http.request(method, path, headers={"Origin": FOREIGN}, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"] == "foreign_origin"


def test_cookie_writes_from_our_own_origin_go_through(http, system):
    for method, path, kwargs in writes(http):
        response = http.request(method, path, headers={"Origin": system.url}, **kwargs)
        assert response.status_code not in (403, 415) and response.status_code < 500, response.text


def test_a_write_whose_body_is_not_json_is_refused(http):
    writes(http)
    response = http.post("/api/submissions", content=b"{}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415 and response.json()["error"] == "unsupported_media_type"


async def test_the_ws_handshake_from_a_foreign_origin_is_refused(http, system):
    http.post("/api/sessions")
    cookie = {"Cookie": f"grindstone_session={http.cookies['grindstone_session']}"}
    url = system.url.replace("http", "ws", 1) + "/ws"
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, additional_headers=cookie, origin=FOREIGN):
            pass
    assert refused.value.response.status_code == 403
    async with connect(url, additional_headers=cookie, origin=system.url) as ws:
        await ws.ping()


def test_every_answer_carries_the_security_headers(http):
    for path in ("/", "/api/assignments"):
        headers = http.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "/" not in headers.get("server", ""), "no server version"
