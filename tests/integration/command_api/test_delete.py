"""DELETE /api/submissions/{id}: the student's own submission only, once."""

from datetime import UTC, datetime
from uuid import uuid4

from common import nats as gnats
from events import (
    Feedback,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    subjects,
)
from tests.integration.command_api.helpers import appended, student


async def submit(client, assignment, headers) -> dict:
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    response = await client.post("/api/submissions", json=body, headers=headers)
    assert response.status_code == 202, response.text
    return response.json()


async def test_deleting_a_submission_appends_submission_deleted(client, js, assignment):
    user_id, headers = student()
    view = await submit(client, assignment, headers)

    response = await client.delete(f"/api/submissions/{view['id']}", headers=headers)

    assert response.status_code == 204 and response.content == b""
    seq = int(response.cookies["grindstone_seq"])
    event, headers_on_stream, subject = await appended(js, seq)
    assert isinstance(event, SubmissionDeleted)
    assert str(event.submission_id) == view["id"]
    assert event.assignment_id == assignment.assignment_id
    assert subject == subjects.submission(user_id, event.submission_id)
    assert headers_on_stream["Event-Type"] == "SubmissionDeleted"
    assert headers_on_stream["Nats-Msg-Id"] == f"delete:{event.submission_id}"


async def test_deleting_twice_is_a_404(client, assignment):
    _, headers = student()
    view = await submit(client, assignment, headers)
    assert (await client.delete(f"/api/submissions/{view['id']}", headers=headers)).is_success

    response = await client.delete(f"/api/submissions/{view['id']}", headers=headers)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


async def test_another_students_submission_is_a_404_and_stays(client, js, assignment):
    _, owner = student()
    view = await submit(client, assignment, owner)
    _, intruder = student()

    response = await client.delete(f"/api/submissions/{view['id']}", headers=intruder)

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert (await js.stream_info(subjects.EVENTS_STREAM)).state.messages == 2


async def test_an_unknown_or_malformed_id_is_a_404(client, assignment):
    _, headers = student()
    for submission_id in (uuid4(), "not-a-uuid"):
        response = await client.delete(f"/api/submissions/{submission_id}", headers=headers)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


async def test_deleting_needs_a_token(client, assignment):
    response = await client.delete(f"/api/submissions/{uuid4()}")
    assert response.status_code == 401


async def test_deleting_a_waiting_submission_holds_the_slot_until_its_verdict(
    client, js, assignment
):
    user_id, headers = student()
    view = await submit(client, assignment, headers)
    deleted = await client.delete(f"/api/submissions/{view['id']}", headers=headers)
    assert deleted.is_success
    event, _, subject = await appended(js, int(deleted.cookies["grindstone_seq"]))
    assert isinstance(event, SubmissionDeleted) and event.pending

    refused = await client.post(
        "/api/submissions",
        json={"assignment_id": str(assignment.assignment_id), "code": "y = 2"},
        headers=headers,
    )
    assert refused.status_code == 409  # its grading has not ended

    ids = {"submission_id": event.submission_id, "user_id": user_id}
    ids["assignment_id"] = assignment.assignment_id
    now = datetime.now(UTC)
    started = SubmissionGradingStarted(occurred_at=now, attempt=1, grader_id="g", **ids)
    await gnats.append(js, subject, started, msg_id="s")  # as a grader does
    graded = SubmissionGraded(
        occurred_at=now,
        attempt=1,
        status="failed",
        feedback=Feedback(message="no"),
        deleted=True,
        **ids,
    )
    await gnats.append(js, subject, graded, msg_id="g")
    again = await submit(client, assignment, headers)
    assert again["id"] != view["id"]
    twice = await client.delete(f"/api/submissions/{view['id']}", headers=headers)
    assert twice.status_code == 404  # deleted once, even though its verdict came later
