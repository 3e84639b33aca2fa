"""Submit -> event -> grade -> read model -> live push, through nginx and every service."""

import asyncio
import json

import httpx
import pytest
import websockets

from tests.e2e.conftest import curriculum_record

WS_TIMEOUT_S = 30

JSON = {"Content-Type": "application/json"}


async def new_student(client: httpx.AsyncClient) -> str:
    """A new student's token (a client without the session or token `client` may hold)."""
    async with httpx.AsyncClient(base_url=client.base_url, timeout=10) as fresh:
        response = await fresh.post("/api/sessions")
    assert response.status_code == 201
    token = response.json()["token"]
    client.cookies.set("grindstone_session", token)  # as the browser keeps the new cookie
    return token


async def first_assignment(client: httpx.AsyncClient) -> dict:
    listing = (await client.get("/api/assignments")).json()
    assert [a["position"] for a in listing] == sorted(a["position"] for a in listing)
    return listing[0]


async def messages_until_graded(ws, submission_id: str) -> list[dict]:
    seen = []
    async with asyncio.timeout(WS_TIMEOUT_S):
        async for raw in ws:
            message = json.loads(raw)
            if message["submission"]["id"] == submission_id:
                seen.append(message)
                if message["type"] == "submission.graded":
                    return seen
    raise AssertionError(f"the socket closed before the verdict: {seen}")


@pytest.fixture
async def client(system):
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        yield http


def ws_url(system, token: str, after: int | None = None) -> str:
    query = f"?token={token}" + (f"&after={after}" if after is not None else "")
    return system.url.replace("http", "ws", 1) + "/ws" + query


async def test_a_correct_submission_is_graded_and_pushed_live_and_counts_once(system, client):
    token = await new_student(client)
    client.headers["Authorization"] = f"Bearer {token}"
    assignment = await first_assignment(client)
    solution = curriculum_record(assignment["title"])["solution"]
    async with websockets.connect(ws_url(system, token)) as ws:
        posted = await client.post(
            "/api/submissions", json={"assignment_id": assignment["id"], "code": solution}
        )
        assert posted.status_code == 202, posted.text
        submission = posted.json()
        assert submission["status"] == "pending"
        pushed = await messages_until_graded(ws, submission["id"])
    assert [m["type"] for m in pushed] == [
        "submission.created",
        "submission.grading",
        "submission.graded",
    ]
    assert pushed[-1]["submission"]["status"] == "passed"
    read = await client.get(
        f"/api/submissions/{submission['id']}", params={"after_seq": pushed[-1]["seq"]}
    )
    assert read.json()["status"] == "passed"
    assert read.json()["feedback"]["tests"], "feedback lists the tests"
    progress = (await client.get("/api/progress", params={"after_seq": pushed[-1]["seq"]})).json()
    assert progress["points"] == 100
    assert progress["completed"] == [assignment["id"]]
    assert progress["next_assignment_id"] not in (None, assignment["id"])


async def test_a_wrong_submission_gets_feedback_that_points_at_the_failure(system, client):
    token = await new_student(client)
    client.headers["Authorization"] = f"Bearer {token}"
    assignment = await first_assignment(client)
    wrong = curriculum_record(assignment["title"])["wrong_solution"]
    async with websockets.connect(ws_url(system, token)) as ws:
        posted = await client.post(
            "/api/submissions", json={"assignment_id": assignment["id"], "code": wrong}
        )
        graded = (await messages_until_graded(ws, posted.json()["id"]))[-1]["submission"]
    assert graded["status"] == "failed"
    failures = [t for t in graded["feedback"]["tests"] if t["outcome"] != "passed"]
    assert failures and graded["feedback"]["message"]
    progress = (await client.get("/api/progress", params={"after_seq": 0})).json()
    assert progress["points"] == 0


async def test_a_second_submission_while_one_is_pending_is_refused(system, client):
    client.headers["Authorization"] = f"Bearer {await new_student(client)}"
    assignment = await first_assignment(client)
    body = {"assignment_id": assignment["id"], "code": "while True:\n    pass\n"}
    first = await client.post("/api/submissions", json=body)
    second = await client.post("/api/submissions", json={**body, "code": "print(1)\n"})
    assert first.status_code == 202
    assert second.status_code == 409
    assert second.json()["error"] and second.json()["detail"]


async def test_identical_code_reuses_the_verdict_without_grading_again(system, client):
    token = await new_student(client)
    client.headers["Authorization"] = f"Bearer {token}"
    assignment = await first_assignment(client)
    code = curriculum_record(assignment["title"])["solution"] + "\n# reuse check\n"
    body = {"assignment_id": assignment["id"], "code": code}
    async with websockets.connect(ws_url(system, token)) as ws:
        first = (await client.post("/api/submissions", json=body)).json()
        await messages_until_graded(ws, first["id"])
        again = await client.post("/api/submissions", json=body)
        assert again.status_code == 202
        assert again.json()["status"] == "passed"  # at once, in the POST's answer
        pushed = await messages_until_graded(ws, again.json()["id"])
    assert "submission.grading" not in [m["type"] for m in pushed]


async def test_bad_requests_get_json_errors_a_person_understands(system, client):
    client.headers["Authorization"] = f"Bearer {await new_student(client)}"
    assignment = await first_assignment(client)
    too_long = {"assignment_id": assignment["id"], "code": "#" * (64 * 1024 + 1)}
    cases = [
        (await client.post("/api/submissions", json=too_long), 413),
        (await client.post("/api/submissions", content=b"{not json", headers=JSON), 400),
        (await client.get("/api/submissions/00000000-0000-0000-0000-000000000000"), 404),
        (await client.get("/api/progress", headers={"Authorization": "Bearer forged"}), 401),
    ]
    for response, status in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert set(body) == {"error", "detail"} and body["detail"].endswith((".", "!", ")"))


async def test_another_students_submission_is_not_found(system, client):
    owner = await new_student(client)
    assignment = await first_assignment(client)
    posted = await client.post(
        "/api/submissions",
        json={"assignment_id": assignment["id"], "code": "print('mine')\n"},
        headers={"Authorization": f"Bearer {owner}"},
    )
    stranger = {"Authorization": f"Bearer {await new_student(client)}"}
    url = f"/api/submissions/{posted.json()['id']}"
    assert (await client.get(url, headers=stranger)).status_code == 404
    assert (await client.delete(url, headers=stranger)).status_code == 404


async def test_a_reconnecting_socket_misses_nothing(system, client):
    token = await new_student(client)
    client.headers["Authorization"] = f"Bearer {token}"
    assignment = await first_assignment(client)
    solution = curriculum_record(assignment["title"])["solution"]
    posted = await client.post(
        "/api/submissions", json={"assignment_id": assignment["id"], "code": solution + "\n"}
    )
    # connect only now, from before the submission: every event of it arrives, in order
    async with websockets.connect(ws_url(system, token, after=0)) as ws:
        pushed = await messages_until_graded(ws, posted.json()["id"])
    assert pushed[0]["type"] == "submission.created"
    assert [m["seq"] for m in pushed] == sorted({m["seq"] for m in pushed})


async def test_pages_are_served_on_the_same_origin(system, client):
    page = await client.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()


async def test_a_run_comes_back_live_and_by_get_and_is_never_a_submission(system, client):
    token = await new_student(client)
    client.headers["Authorization"] = f"Bearer {token}"
    listing = (await client.get("/api/assignments")).json()
    details = [(await client.get(f"/api/assignments/{a['id']}")).json() for a in listing]
    function = next(a for a in details if a["kind"] == "function")
    code = f"def {function['entry_point']}(*args):\n    print('called')\n    return args\n"
    async with websockets.connect(ws_url(system, token)) as ws:
        posted = await client.post(
            "/api/runs",
            json={
                "assignment_id": function["id"],
                "code": code,
                "call": f"{function['entry_point']}(1, 'a')",
            },
        )
        assert posted.status_code == 202, posted.text
        run_id = posted.json()["id"]
        async with asyncio.timeout(WS_TIMEOUT_S):
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "run.finished" and message["run"]["id"] == run_id:
                    break
    pushed = message["run"]
    assert (pushed["status"], pushed["value"], pushed["stdout"]) == (
        "finished",
        "(1, 'a')",
        "called\n",
    )
    # the push reads the stream, the GET the projector's read model, which may be a moment
    # behind (a run message carries no seq to pass as after_seq): read until it is there
    async with asyncio.timeout(WS_TIMEOUT_S):
        while True:
            read = (await client.get(f"/api/runs/{run_id}")).json()
            if read["status"] == "finished":
                break
            await asyncio.sleep(0.02)
    assert read == pushed
    assert (await client.get("/api/submissions")).json()["items"] == []
    progress = (await client.get("/api/progress")).json()
    assert (progress["points"], progress["completed"]) == (0, [])
