"""DELETE /api/submissions/{id}: the student's own submission only, once."""

from uuid import uuid4

from events import SubmissionDeleted, subjects
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


async def test_deleting_a_pending_submission_frees_the_student_to_submit(client, assignment):
    _, headers = student()
    view = await submit(client, assignment, headers)
    assert (await client.delete(f"/api/submissions/{view['id']}", headers=headers)).is_success

    again = await submit(client, assignment, headers)

    assert again["id"] != view["id"]
