"""The contract's cross-site rules on every write of the command API: a cookie-authenticated
write from a foreign Origin is refused (403); a write's body must be JSON (415); Bearer-token
clients are not asked for an Origin; configured origins are allowed."""

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from services.command_api.app import create_app
from tests.integration.command_api.helpers import student

FOREIGN = "https://evil.example"


async def writes(client, assignment):
    """(method, path, kwargs) for every write, with a cookie session in `client`."""
    await client.post("/api/sessions")
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1\n"}
    created = await client.post("/api/submissions", json=body)
    assert created.status_code == 202, created.text
    return [
        ("POST", "/api/sessions", {}),
        ("POST", "/api/submissions", {"json": body}),
        ("POST", "/api/runs", {"json": body}),
        ("DELETE", f"/api/submissions/{created.json()['id']}", {}),
    ]


@pytest.mark.parametrize("origin", [FOREIGN, "http://127.0.0.1:1", "null"])
async def test_a_cookie_write_from_a_foreign_origin_is_refused(client, assignment, origin):
    for method, path, kwargs in await writes(client, assignment):
        response = await client.request(method, path, headers={"Origin": origin}, **kwargs)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"] == "foreign_origin"


async def test_a_write_from_our_own_origin_or_without_one_goes_through(client, assignment):
    own = str(client.base_url).rstrip("/")
    for method, path, kwargs in await writes(client, assignment):
        response = await client.request(method, path, headers={"Origin": own}, **kwargs)
        # past the gate (a second pending submission of one assignment is a 409 of its own)
        assert response.status_code not in (403, 415), (method, path, response.text)
        assert response.status_code < 500


async def test_a_bearer_client_is_not_asked_for_an_origin(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 2\n"}
    response = await client.post(
        "/api/submissions", json=body, headers={**headers, "Origin": FOREIGN}
    )
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_a_write_whose_body_is_not_json_is_refused(client, assignment, content_type):
    await client.post("/api/sessions")
    body = f'{{"assignment_id": "{assignment.assignment_id}", "code": "x = 1"}}'
    for path in ("/api/submissions", "/api/runs"):
        response = await client.post(path, content=body, headers={"Content-Type": content_type})
        assert response.status_code == 415, (path, response.text)
        assert response.json()["error"] == "unsupported_media_type"


async def test_an_allowed_origin_may_write(settings, assignment):
    allowed = msgspec.structs.replace(settings, allowed_origins=f"{FOREIGN}/, https://b.example")
    async with AsyncTestClient(create_app(allowed)) as c:
        await c.post("/api/sessions")
        body = {"assignment_id": str(assignment.assignment_id), "code": "x = 3\n"}
        response = await c.post("/api/submissions", json=body, headers={"Origin": FOREIGN})
        assert response.status_code == 202, response.text
