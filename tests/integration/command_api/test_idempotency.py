"""POST /api/submissions with an Idempotency-Key: a retry gets the same answer, and the
submission is made once."""

import asyncio
from uuid import uuid4

from events import subjects
from tests.integration.command_api.helpers import student

CODE = "def add(a, b):\n    return a + b\n"


async def created_events(js, user_id) -> list[int]:
    info = await js.stream_info(
        subjects.EVENTS_STREAM, subjects_filter=f"events.submission.{user_id}.*"
    )
    return list((info.state.subjects or {}).values())


def body(assignment, code: str = CODE) -> dict:
    return {"assignment_id": str(assignment.assignment_id), "code": code}


async def test_the_same_key_gets_the_same_answer_and_one_submission(client, js, assignment):
    user_id, headers = student()
    keyed = {**headers, "Idempotency-Key": str(uuid4())}
    first = await client.post("/api/submissions", json=body(assignment), headers=keyed)
    again = await client.post("/api/submissions", json=body(assignment), headers=keyed)
    assert first.status_code == again.status_code == 202, again.text
    assert again.json() == first.json()
    assert await created_events(js, user_id) == [1]
    other = await client.post(  # a new key: a new submission, refused while one is pending
        "/api/submissions", json=body(assignment), headers={**headers, "Idempotency-Key": "b"}
    )
    assert other.status_code == 409


async def test_the_same_key_at_once_makes_one_submission(client, js, assignment):
    user_id, headers = student()
    keyed = {**headers, "Idempotency-Key": "click-1"}
    answers = await asyncio.gather(
        *(client.post("/api/submissions", json=body(assignment), headers=keyed) for _ in range(5))
    )
    assert {a.status_code for a in answers} == {202}
    assert len({a.text for a in answers}) == 1
    assert await created_events(js, user_id) == [1]


async def test_a_key_is_the_students_own(client, js, assignment):
    (ann, ann_headers), (bob, bob_headers) = student(), student()
    for headers in (ann_headers, bob_headers):
        keyed = {**headers, "Idempotency-Key": "same-key"}
        assert (
            await client.post("/api/submissions", json=body(assignment), headers=keyed)
        ).status_code == 202
    assert await created_events(js, ann) == await created_events(js, bob) == [1]


async def test_the_same_key_for_other_code_is_refused(client, assignment):
    _, headers = student()
    keyed = {**headers, "Idempotency-Key": "k"}
    assert (
        await client.post("/api/submissions", json=body(assignment), headers=keyed)
    ).status_code == 202
    other = await client.post("/api/submissions", json=body(assignment, "pass\n"), headers=keyed)
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"


async def test_a_bad_key_is_a_400_with_a_sentence(client, assignment):
    _, headers = student()
    for key in ("", "a\tb", "\u00e9".encode(), "x" * 256):
        answer = await client.post(
            "/api/submissions", json=body(assignment), headers={**headers, "Idempotency-Key": key}
        )
        assert answer.status_code == 400, key
        assert "Idempotency-Key" in answer.json()["detail"]
    longest = {**headers, "Idempotency-Key": "a key, " + "x" * 248}
    answer = await client.post("/api/submissions", json=body(assignment), headers=longest)
    assert answer.status_code == 202, answer.text
