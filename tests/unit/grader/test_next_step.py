"""steps.next_step and after_deletion: what a job does when its event is no longer the subject's
last."""

from datetime import UTC, datetime
from uuid import uuid4

from events import (
    Feedback,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
)
from services.grader.steps import Job, after_deletion, next_step

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


def graded(attempt: int) -> SubmissionGraded:
    return SubmissionGraded(
        occurred_at=NOW, attempt=attempt, status="passed", feedback=Feedback(message="ok"), **IDS
    )


def test_a_newer_attempt_a_verdict_or_a_deletion_leaves_nothing_to_do():
    for last in (started(2), graded(1), SubmissionDeleted(occurred_at=NOW, **IDS), None):
        assert next_step(JOB, last) == "done"


def test_a_submission_deleted_while_waiting_is_graded_or_its_grading_finished():
    assert after_deletion(JOB, []) == "start"
    assert after_deletion(JOB, [started(1)]) == "finish"
    assert after_deletion(JOB, [None, started(1), None]) == "finish"  # unreadable ones between


def test_a_submission_deleted_after_its_verdict_or_a_newer_attempt_is_left_alone():
    regrade = SubmissionRegradeRequested(occurred_at=NOW, attempt=2, requested_by="t", **IDS)
    assert after_deletion(JOB, [started(1), graded(1)]) == "done"
    assert after_deletion(JOB, [started(1), graded(1), regrade]) == "done"
    assert after_deletion(JOB, [regrade]) == "done"
