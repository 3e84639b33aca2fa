"""steps.next_step: what a job does when its event is no longer the subject's last, from the
fold of the submission's events."""

from datetime import UTC, datetime
from uuid import uuid4

from events import (
    Feedback,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
    fold,
)
from services.grader.steps import Job, next_step

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


def graded(attempt: int) -> SubmissionGraded:
    return SubmissionGraded(
        occurred_at=NOW, attempt=attempt, status="passed", feedback=Feedback(message="ok"), **IDS
    )


def regrade(attempt: int) -> SubmissionRegradeRequested:
    return SubmissionRegradeRequested(occurred_at=NOW, attempt=attempt, requested_by="t", **IDS)


def deleted(pending: bool) -> SubmissionDeleted:
    return SubmissionDeleted(occurred_at=NOW, pending=pending, **IDS)


def step(job: Job, *after: object) -> str:
    """The job's step once these events follow the submission's creation."""
    return next_step(job, fold.fold(enumerate([CREATED, *after], start=1)))  # type: ignore[list-item]


REGRADE = Job(subject="events.submission.u.s", seq=4, created=CREATED, attempt=2)


def test_a_started_grading_of_the_same_attempt_is_finished():
    assert step(JOB, started(1)) == "finish"
    assert step(REGRADE, started(1), graded(1), regrade(2), started(2)) == "finish"


def test_a_newer_attempt_a_verdict_or_a_deletion_leaves_nothing_to_do():
    assert step(JOB, started(1), graded(1)) == "done"
    assert step(JOB, started(1), graded(1), regrade(2), started(2)) == "done"
    assert step(JOB, started(1), graded(1), deleted(pending=False)) == "done"
    assert next_step(JOB, None) == "done"


def test_a_cancelled_regrade_is_not_graded():
    cancelled = SubmissionRegradeCancelled(
        occurred_at=NOW, attempt=2, cancelled_by="t", status="passed",
        feedback=Feedback(message="ok"), **IDS,
    )  # fmt: skip
    assert step(REGRADE, started(1), graded(1), regrade(2), cancelled) == "done"


def test_a_submission_deleted_while_waiting_is_graded_or_its_grading_finished():
    assert step(JOB, deleted(pending=True)) == "start"
    assert step(JOB, started(1), deleted(pending=True)) == "finish"
    assert step(JOB, deleted(pending=True), started(1)) == "finish"


def test_a_submission_deleted_after_its_verdict_or_during_a_regrade_is_left_alone():
    assert step(JOB, started(1), graded(1), deleted(pending=False)) == "done"
    assert step(REGRADE, started(1), graded(1), regrade(2), deleted(pending=False)) == "done"
