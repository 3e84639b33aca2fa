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


async def test_every_new_session_is_another_student(client):
    first = (await client.post("/api/sessions")).json()
    client.cookies.clear()
    second = (await client.post("/api/sessions")).json()
    assert first["user_id"] != second["user_id"]


async def test_a_valid_session_is_kept_and_renewed_not_replaced(client):
    first = await client.post("/api/sessions")
    again = await client.post("/api/sessions")  # the client sends the cookie back
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["user_id"] == first.json()["user_id"]
    assert auth.verify(SECRET, again.json()["token"]) is not None
    bearer = {"Authorization": f"Bearer {first.json()['token']}"}
    client.cookies.clear()
    by_token = await client.post("/api/sessions", headers=bearer)
    assert (by_token.status_code, by_token.json()["user_id"]) == (200, first.json()["user_id"])


async def test_an_expired_or_old_token_gets_a_new_student(client):
    user = auth.Identity(UUID(int=7), "student")
    expired = auth.issue(SECRET, user, lifetime_s=-1)
    old_format = expired.rsplit(".", 2)[0].rsplit(".", 1)[0] + ".sig"
    for token in (expired, old_format):
        response = await client.post("/api/sessions", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 201 and response.json()["user_id"] != str(user.user_id)


async def test_the_cookie_is_secure_when_the_site_is_served_over_https(client):
    plain = await client.post("/api/sessions")
    assert "secure" not in plain.headers["set-cookie"].lower().split("; ")
    client.cookies.clear()
    over_https = await client.post("/api/sessions", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in over_https.headers["set-cookie"].lower().split("; ")


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
