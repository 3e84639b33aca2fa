"""An event the API cannot read, last on a student's subjects, does not make their submit fail:
it tells nothing about a pending submission, and its sequence still guards the append."""

from uuid import uuid4

import pytest

from events import subjects
from tests import poison
from tests.integration.command_api.helpers import appended, student

CODE = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize("kind", poison.KINDS)
async def test_a_student_whose_last_event_cannot_be_read_can_still_submit(
    client, js, assignment, kind
):
    user_id, headers = student()
    bad = next(p for p in poison.kinds(assignment) if p.kind == kind)
    stray = subjects.submission(user_id, uuid4())
    seq = (await js.publish(stray, bad.data, headers=bad.headers)).seq
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text
    assert response.json()["stream_seq"] == seq + 1
    _, stored, _ = await appended(js, seq + 1)
    assert stored["Nats-Expected-Last-Subject-Sequence"] == str(seq)


@pytest.mark.parametrize("kind", poison.KINDS)
async def test_an_unreadable_event_last_on_an_assignment_does_not_hide_it(
    client, js, assignment, kind
):
    _, headers = student()
    bad = next(p for p in poison.kinds(assignment) if p.kind == kind)
    await js.publish(subjects.assignment(assignment.assignment_id), bad.data, headers=bad.headers)
    body = {"assignment_id": str(assignment.assignment_id), "code": CODE}

    response = await client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 202, response.text
