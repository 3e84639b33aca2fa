"""A re-grade never holds the student up: their next submission is accepted while one of their
submissions waits for, or is under, a re-grade; their own waiting submission still holds it."""

from datetime import UTC, datetime
from uuid import UUID

from common import nats as gnats
from common import regrades
from events import Feedback, SubmissionGraded, SubmissionGradingStarted, subjects
from tests.integration.command_api.helpers import student

CODE = "def add(a, b):\n    return a + b\n"


async def graded(js, user_id: UUID, submission_id: UUID, attempt: int) -> None:
    subject = subjects.submission(user_id, submission_id)
    seq = int((await gnats.last_message(js, subject)).seq)
    ids = {"submission_id": submission_id, "user_id": user_id}
    assignment_id = (await regrades.latest_of(js, submission_id)).event.assignment_id
    for event in (
        SubmissionGradingStarted(
            occurred_at=datetime.now(UTC), **ids, assignment_id=assignment_id, attempt=attempt,
            grader_id="g",
        ),
        SubmissionGraded(
            occurred_at=datetime.now(UTC), **ids, assignment_id=assignment_id, attempt=attempt,
            status="passed", feedback=Feedback(message="The test passed."),
        ),
    ):  # fmt: skip
        msg_id = f"{type(event).__name__}:{submission_id}:{attempt}"
        seq = await gnats.append(js, subject, event, msg_id=msg_id, expected_seq=seq)


async def submitted(client, headers, assignment) -> tuple[int, dict]:
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}
    response = await client.post("/api/submissions", json=body, headers=headers)
    return response.status_code, response.json()


async def test_a_regrade_does_not_block_the_students_next_submission(client, js, assignment):
    user_id, headers = student()
    status, first = await submitted(client, headers, assignment)
    assert status == 202
    await graded(js, user_id, UUID(first["id"]), attempt=1)
    latest = await regrades.latest_of(js, UUID(first["id"]))
    assert await regrades.request(js, latest, datetime.now(UTC)) is None  # queued, not started

    status, second = await submitted(client, headers, assignment)
    assert status == 202, second  # the re-grade is the operators': it does not hold the student

    # their own new submission waits for its verdict: that one still holds them
    status, refused = await submitted(client, headers, assignment)
    assert (status, refused["error"]) == (409, "submission_pending")


async def test_a_regrade_under_way_after_the_students_own_submission_keeps_it_waiting(
    client, js, assignment
):
    user_id, headers = student()
    status, first = await submitted(client, headers, assignment)
    await graded(js, user_id, UUID(first["id"]), attempt=1)
    status, _ = await submitted(client, headers, assignment)
    assert status == 202
    # the operator re-grades the first while the second still waits: the student's last event
    # is now the re-grade's, but their own submission still waits for its verdict
    latest = await regrades.latest_of(js, UUID(first["id"]))
    assert await regrades.request(js, latest, datetime.now(UTC)) is None

    status, refused = await submitted(client, headers, assignment)
    assert (status, refused["error"]) == (409, "submission_pending")
