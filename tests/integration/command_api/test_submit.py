"""POST /api/submissions: accepted, stored with its headers, one pending submission at a time."""

import asyncio
from datetime import UTC, datetime
from uuid import UUID

from common import nats as gnats
from events import Feedback, SubmissionCreated, SubmissionGraded, SubmissionGradingStarted, subjects
from services.command_api.app import create_app
from services.command_api.commands import code_sha256
from tests.integration.command_api.helpers import appended, in_this_loop, student

CODE = "def add(a, b):\n    return a + b\n"


async def test_a_submission_is_accepted_and_stored_as_submission_created(client, js, assignment):
    user_id, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text
    view = response.json()
    assert view["status"] == "pending"
    assert view["feedback"] is None and view["graded_at"] is None
    assert view["code"] == CODE and view["assignment_id"] == str(assignment.assignment_id)
    assert view["last_seq"] == view["stream_seq"] == 2  # after the assignment at seq 1
    event, headers_on_stream, subject = await appended(js, view["stream_seq"])
    assert isinstance(event, SubmissionCreated)
    assert event.submission_id == UUID(view["id"]) and event.user_id == user_id
    assert event.code_sha256 == code_sha256(CODE)
    assert event.assignment_sha256 == assignment.content_sha256
    assert event.reused is None
    assert subject == subjects.submission(user_id, event.submission_id)
    assert headers_on_stream["Event-Type"] == "SubmissionCreated"
    assert headers_on_stream["Nats-Msg-Id"] == f"submit:{event.submission_id}"


async def test_the_response_sets_the_seq_cookie_for_read_your_write(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.cookies["grindstone_seq"] == str(response.json()["stream_seq"])
    cookie = response.headers["set-cookie"]
    assert "Path=/" in cookie and "HttpOnly" not in cookie


async def test_a_second_submission_while_one_is_pending_is_refused(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    assert (await client.post("/api/submissions", json=body, headers=headers)).status_code == 202

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 409
    assert response.json()["error"] == "submission_pending"
    assert "verdict" in response.json()["detail"]


async def test_a_submission_being_graded_also_blocks_a_new_one(client, js, assignment):
    user_id, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    first = (await client.post("/api/submissions", json=body, headers=headers)).json()
    await _append_grading_started(js, user_id, UUID(first["id"]), assignment.assignment_id)

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 409


async def test_once_graded_the_student_can_submit_again(client, js, assignment):
    user_id, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    first = (await client.post("/api/submissions", json=body, headers=headers)).json()
    await _append_graded(js, user_id, UUID(first["id"]), assignment.assignment_id)

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text
    assert response.json()["id"] != first["id"]


async def test_another_students_pending_submission_does_not_block(client, assignment):
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    for _ in range(2):
        _, headers = student()
        response = await client.post("/api/submissions", json=body, headers=headers)
        assert response.status_code == 202, response.text


async def test_of_two_concurrent_submissions_exactly_one_is_accepted(settings, js, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    async with in_this_loop(create_app(settings)) as client:
        responses = await asyncio.gather(
            *(client.post("/api/submissions", json=body, headers=headers) for _ in range(2))
        )

    assert sorted(r.status_code for r in responses) == [202, 409]
    info = await js.stream_info(subjects.EVENTS_STREAM)
    assert info.state.messages == 2  # the assignment and one submission


async def test_a_pending_submission_for_another_assignment_blocks_too(client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    assert (await client.post("/api/submissions", json=body, headers=headers)).status_code == 202

    other = {**body, "code": CODE + "\n# second try\n"}
    response = await client.post("/api/submissions", json=other, headers=headers)

    assert response.status_code == 409


async def _append_grading_started(js, user_id, submission_id, assignment_id) -> None:
    subject = subjects.submission(user_id, submission_id)
    last = await gnats.last_message(js, subject)
    started = SubmissionGradingStarted(
        occurred_at=datetime.now(UTC),
        submission_id=submission_id,
        user_id=user_id,
        assignment_id=assignment_id,
        attempt=1,
        grader_id="test",
    )
    await gnats.append(js, subject, started, msg_id=f"start:{submission_id}", expected_seq=last.seq)


async def _append_graded(js, user_id, submission_id, assignment_id) -> None:
    graded = SubmissionGraded(
        occurred_at=datetime.now(UTC),
        submission_id=submission_id,
        user_id=user_id,
        assignment_id=assignment_id,
        attempt=1,
        status="passed",
        feedback=Feedback(message="All tests passed."),
    )
    subject = subjects.submission(user_id, submission_id)
    await gnats.append(js, subject, graded, msg_id=f"graded:{submission_id}")
