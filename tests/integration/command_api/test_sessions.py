"""POST /api/sessions: a new anonymous student whose cookie works on the next call; health."""

from uuid import UUID

from common import auth
from tests.conftest import SECRET


async def test_a_session_is_a_new_student_with_a_signed_token(client):
    response = await client.post("/api/sessions")

    assert response.status_code == 201
    body = response.json()
    assert auth.verify(SECRET, body["token"]) == auth.Identity(UUID(body["user_id"]), "student")


async def test_the_session_cookie_is_http_only_and_lax(client):
    response = await client.post("/api/sessions")

    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{auth.COOKIE}={response.json()['token']};")
    assert "HttpOnly" in cookie and "Path=/" in cookie and "samesite=lax" in cookie.lower()


async def test_every_session_is_another_student(client):
    first = (await client.post("/api/sessions")).json()
    second = (await client.post("/api/sessions")).json()
    assert first["user_id"] != second["user_id"]


async def test_the_cookie_alone_authenticates_a_submission(client, assignment):
    await client.post("/api/sessions")  # the client keeps the cookie, as a browser would
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}

    response = await client.post("/api/submissions", json=body)

    assert response.status_code == 202, response.text


async def test_the_command_health_says_ok(client):
    for method in ("GET", "POST"):
        response = await client.request(method, "/api/command/health")
        assert response.status_code == 200
        assert response.json() == {"ok": True}
