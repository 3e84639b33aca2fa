"""Identical code for the same assignment content gets the cached verdict at once."""

import json
from uuid import uuid4

from events import SubmissionCreated, subjects
from services.command_api.commands import code_sha256
from tests.integration.command_api.helpers import appended, student

CODE = "def add(a, b):\n    return a + b\n"
FEEDBACK = {"message": "All 3 tests passed.", "tests": [], "output": ""}


async def cache_verdict(js, assignment_sha256: str, code: str, status: str) -> str:
    earlier = str(uuid4())
    kv = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    value = {"submission_id": earlier, "status": status, "feedback": FEEDBACK}
    await kv.put(
        subjects.verdict_key(assignment_sha256, code_sha256(code)), json.dumps(value).encode()
    )
    return earlier


async def test_a_cached_verdict_is_reused_at_once(client, js, assignment):
    earlier = await cache_verdict(js, assignment.content_sha256, CODE, "passed")
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text
    view = response.json()
    assert view["status"] == "passed"
    assert view["feedback"]["message"] == FEEDBACK["message"]
    assert view["graded_at"] == view["created_at"]
    event, _, _ = await appended(js, view["stream_seq"])
    assert isinstance(event, SubmissionCreated) and event.reused is not None
    assert str(event.reused.from_submission_id) == earlier
    assert event.reused.status == "passed"


async def test_a_reused_verdict_leaves_nothing_pending(client, js, assignment):
    await cache_verdict(js, assignment.content_sha256, CODE, "failed")
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    assert (await client.post("/api/submissions", json=body, headers=headers)).json()[
        "status"
    ] == "failed"

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text


async def test_other_code_is_graded_as_usual(client, js, assignment):
    await cache_verdict(js, assignment.content_sha256, CODE, "passed")
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE + "# changed\n"}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.json()["status"] == "pending"
    event, _, _ = await appended(js, response.json()["stream_seq"])
    assert event.reused is None


async def test_a_verdict_for_other_assignment_content_is_not_reused(client, js, assignment):
    await cache_verdict(js, "0" * 64, CODE, "passed")
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.json()["status"] == "pending"


async def test_an_unreadable_cache_entry_means_grading_as_usual(client, js, assignment):
    kv = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    await kv.put(subjects.verdict_key(assignment.content_sha256, code_sha256(CODE)), b"{oops")
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202
    assert response.json()["status"] == "pending"


async def test_a_verdict_taken_back_is_not_reused(client, js, assignment):
    # the grader caches before it appends, and deletes the key if a deletion overtook it
    await cache_verdict(js, assignment.content_sha256, CODE, "passed")
    kv = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    await kv.delete(subjects.verdict_key(assignment.content_sha256, code_sha256(CODE)))
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text
    assert response.json()["status"] == "pending"
