"""Every refusal of POST /api/submissions is JSON with its own code and a readable sentence."""

from uuid import uuid4

from common import auth
from tests.conftest import SECRET
from tests.integration.command_api.helpers import student

JSON = {"Content-Type": "application/json"}  # every write is JSON (the cross-site rules)


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert body["detail"].endswith(".") and len(body["detail"]) > 20


async def test_a_body_that_is_not_json_is_a_400(client, assignment):
    _, headers = student()
    response = await client.post(
        "/api/submissions", content=b'{"assignment_id": ', headers={**headers, **JSON}
    )
    assert_error(response, 400, "malformed_json")


async def test_a_body_that_is_not_utf8_is_a_400(client, assignment):
    _, headers = student()
    response = await client.post("/api/submissions", content=b'"\xff"', headers={**headers, **JSON})
    assert_error(response, 400, "malformed_json")


async def test_json_of_the_wrong_shape_is_a_422(client, assignment):
    _, headers = student()
    bodies = [
        [1, 2],
        {"assignment_id": str(assignment.assignment_id)},
        {"assignment_id": str(assignment.assignment_id), "code": 42},
        {"assignment_id": "not-a-uuid", "code": "x = 1"},
        {"assignment_id": str(assignment.assignment_id), "code": "x", "language": "py"},
    ]
    for body in bodies:
        response = await client.post("/api/submissions", json=body, headers=headers)
        assert_error(response, 422, "invalid")


async def test_the_422_names_what_is_wrong(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": "x", "language": "py"}
    response = await client.post("/api/submissions", json=body, headers=headers)
    assert "language" in response.json()["detail"]


async def test_code_over_64_kib_is_a_413(client, assignment):
    _, headers = student()
    code = "é" * 32_769  # 65,538 bytes of UTF-8 in 32,769 characters
    body = {"assignment_id": str(assignment.assignment_id), "code": code}
    response = await client.post("/api/submissions", json=body, headers=headers)
    assert_error(response, 413, "too_large")


async def test_code_of_exactly_64_kib_is_accepted(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": "#" * 65_536}
    response = await client.post("/api/submissions", json=body, headers=headers)
    assert response.status_code == 202, response.text


async def test_a_huge_body_is_a_413_before_it_is_parsed(client, assignment):
    _, headers = student()
    response = await client.post(
        "/api/submissions", content=b"[" * 300_000, headers={**headers, **JSON}
    )
    assert_error(response, 413, "too_large")


async def test_an_unknown_assignment_is_a_404(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(uuid4()), "code": "x = 1"}
    response = await client.post("/api/submissions", json=body, headers=headers)
    assert_error(response, 404, "not_found")


async def test_without_a_token_it_is_a_401(client, assignment):
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    response = await client.post("/api/submissions", json=body)
    assert_error(response, 401, "unauthorized")


async def test_a_forged_token_is_a_401(client, assignment):
    token = auth.issue("another-secret", auth.Identity(uuid4(), "student"))
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    response = await client.post(
        "/api/submissions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert_error(response, 401, "unauthorized")


async def test_staff_tokens_cannot_submit(client, assignment):
    token = auth.issue(SECRET, auth.Identity(uuid4(), "operator"))
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    response = await client.post(
        "/api/submissions", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


async def test_refused_submissions_append_nothing(client, js, assignment):
    _, headers = student()
    await client.post("/api/submissions", content=b"nope", headers={**headers, **JSON})
    await client.post("/api/submissions", json={"code": 1}, headers=headers)
    await client.post("/api/submissions", json={"assignment_id": str(uuid4()), "code": ""})
    info = await js.stream_info("EVENTS")
    assert info.state.messages == 1  # only the assignment


async def test_json_nested_too_deeply_is_a_400(client, assignment):
    _, headers = student()
    for raw in [b"[" * 100_000, b'{"code": ' * 20_000]:
        response = await client.post("/api/submissions", content=raw, headers={**headers, **JSON})
        assert_error(response, 400, "malformed_json")


async def test_a_method_the_api_does_not_answer_is_a_405_naming_the_methods(client):
    _, headers = student()
    cases = [
        ("PUT", "/api/assignments", "GET, HEAD"),  # a path of the query API
        ("PUT", "/api/submissions", "GET, HEAD, POST"),
        ("PATCH", "/api/submissions/x", "GET, HEAD, DELETE"),
    ]
    for method, path, allow in cases:
        response = await client.request(method, path, headers={**headers, **JSON})
        assert_error(response, 405, "method_not_allowed")
        assert response.headers["allow"] == allow
    assert_error(await client.put("/api/nothing", headers={**headers, **JSON}), 404, "not_found")
