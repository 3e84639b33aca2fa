"""worker.next_step: what a job does when its event is no longer the subject's last."""

from datetime import UTC, datetime
from uuid import uuid4

from events import (
    Feedback,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
)
from services.grader.worker import Job, next_step

NOW = datetime(2025, 1, 1, tzinfo=UTC)
CREATED = SubmissionCreated(
    occurred_at=NOW, submission_id=uuid4(), user_id=uuid4(), assignment_id=uuid4(),
    code="x = 1\n", code_sha256="c" * 64, assignment_sha256="a" * 64,
)  # fmt: skip
IDS = {
    "submission_id": CREATED.submission_id,
    "user_id": CREATED.user_id,
    "assignment_id": CREATED.assignment_id,
}
JOB = Job(subject="events.submission.u.s", seq=7, created=CREATED, attempt=1)


def started(attempt: int) -> SubmissionGradingStarted:
    return SubmissionGradingStarted(occurred_at=NOW, attempt=attempt, grader_id="g", **IDS)


def test_a_started_grading_of_the_same_attempt_is_finished():
    assert next_step(JOB, started(1)) == "finish"


def test_a_newer_attempt_a_verdict_or_a_deletion_leaves_nothing_to_do():
    graded = SubmissionGraded(
        occurred_at=NOW, attempt=1, status="passed", feedback=Feedback(message="ok"), **IDS
    )
    for last in (started(2), graded, SubmissionDeleted(occurred_at=NOW, **IDS), None):
        assert next_step(JOB, last) == "done"
