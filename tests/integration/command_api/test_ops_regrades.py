"""POST /api/ops/regrades: an operator re-grades an assignment from the /ops/ page; the same
SubmissionRegradeRequested `grindstone regrade --assignment` appends (common/regrades.py)."""

import uuid

from common import auth, regrade_queue, regrades
from events import SubmissionRegradeRequested
from tests.conftest import SECRET
from tests.integration.projector.history import Submission, append


def staff(role: auth.Role) -> tuple[uuid.UUID, dict[str, str]]:
    user_id = uuid.uuid4()
    token = auth.issue(SECRET, auth.Identity(user_id, role))
    return user_id, {"Authorization": f"Bearer {token}"}


async def test_an_operator_regrades_every_graded_submission_of_the_assignment(client, js):
    assignment, other = uuid.uuid4(), uuid.uuid4()
    student = uuid.uuid4()
    graded, waiting, deleted, elsewhere = (
        Submission(student, assignment),
        Submission(student, assignment),
        Submission(student, assignment),
        Submission(student, other),
    )
    await append(js, graded.created(), graded.graded("failed"))
    await append(js, waiting.created())
    await append(js, deleted.created(), deleted.graded(), deleted.deleted())
    await append(js, elsewhere.created(), elsewhere.graded())
    operator, headers = staff("operator")

    answer = await client.post(
        "/api/ops/regrades", json={"assignment_id": str(assignment)}, headers=headers
    )

    assert answer.status_code == 202
    assert answer.json() == {"assignment_id": str(assignment), "requested": 1, "skipped": 1}
    latest = await regrades.latest_of(js, graded.submission_id)
    assert latest is not None and isinstance(latest.event, SubmissionRegradeRequested)
    assert (latest.event.attempt, latest.event.requested_by) == (2, f"operator {operator}")
    assert await regrade_queue.queued(js, latest.event)  # its job waits on the REGRADES queue
    for untouched in (waiting, deleted, elsewhere):
        last = await regrades.latest_of(js, untouched.submission_id)
        assert last is not None and not isinstance(last.event, SubmissionRegradeRequested)
    again = await client.post(
        "/api/ops/regrades", json={"assignment_id": str(assignment)}, headers=headers
    )
    assert again.json()["requested"] == 0  # its regrade is still waiting: skipped


async def test_regrades_refuse_students_and_auditors_and_need_a_token(client):
    body = {"assignment_id": str(uuid.uuid4())}
    for role, status in [("student", 403), ("auditor", 403)]:
        answer = await client.post("/api/ops/regrades", json=body, headers=staff(role)[1])
        assert answer.status_code == status
        assert set(answer.json()) == {"error", "detail"}
    assert (await client.post("/api/ops/regrades", json=body)).status_code == 401


async def test_a_regrade_body_that_is_not_an_assignment_id_is_refused(client):
    headers = staff("operator")[1]
    assert (await client.post("/api/ops/regrades", json={}, headers=headers)).status_code == 422
    bad = await client.post("/api/ops/regrades", json={"assignment_id": "x"}, headers=headers)
    assert bad.status_code == 422
    extra = {"assignment_id": str(uuid.uuid4()), "more": 1}
    assert (await client.post("/api/ops/regrades", json=extra, headers=headers)).status_code == 422
