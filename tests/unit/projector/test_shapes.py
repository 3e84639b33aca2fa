"""The projector caches exactly the shapes and keys the query API reads and fills."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

from events import Feedback, ReusedVerdict, SubmissionCreated, SubmissionGraded
from services.projector.projections import assignments, progress, submissions
from services.query_api import views

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def submission_row() -> dict:
    return {
        "submission_id": uuid4(),
        "user_id": uuid4(),
        "assignment_id": uuid4(),
        "code": "print(2)\n",
        "status": "failed",
        "feedback": {"message": "no", "tests": [], "output": ""},
        "attempt": 2,
        "created_at": datetime(2025, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        "graded_at": NOW,
        "deleted": False,
        "last_seq": 12,
    }


def assignment_row() -> dict:
    return {
        "assignment_id": uuid4(),
        "source_id": "hello",
        "title": "Hello",
        "position": 4,
        "handout": "# Hi",
        "starter": "",
        "last_seq": 3,
    }


def test_the_submission_shape_is_the_query_apis():
    row = submission_row()
    assert submissions.view(row) == views.submission(row)
    assert submissions.view(row)["created_at"] == "2025-05-01T12:00:00Z"


def test_the_assignment_shapes_are_the_query_apis():
    row = assignment_row()
    assert assignments.summary(row) == views.assignment_summary(row)
    assert assignments.detail(row) == views.assignment_detail(row)
    assert "source_id" not in assignments.detail(row)


def test_the_progress_shape_is_the_query_apis():
    user_id, rows = uuid4(), [{"assignment_id": uuid4(), "last_seq": 5}]
    assert progress.view(user_id, rows) == views.completed(user_id, rows)


def test_keys_follow_the_design_notes():
    some = uuid4()
    assert submissions.key(some) == f"query:submission:{some}"
    assert progress.key(some) == f"query:progress:{some}"
    assert assignments.detail_key(some) == f"query:assignment:{some}"
    assert assignments.LIST_KEY == "query:assignments"


def graded(status: str) -> SubmissionGraded:
    return SubmissionGraded(
        occurred_at=NOW,
        submission_id=uuid4(),
        user_id=uuid4(),
        assignment_id=uuid4(),
        attempt=1,
        status=status,
        feedback=Feedback(message=status),
    )


def created(reused: str | None) -> SubmissionCreated:
    verdict = reused and ReusedVerdict(
        from_submission_id=uuid4(), status=reused, feedback=Feedback(message="")
    )
    return SubmissionCreated(
        occurred_at=NOW,
        submission_id=uuid4(),
        user_id=uuid4(),
        assignment_id=uuid4(),
        code="",
        code_sha256="",
        assignment_sha256="",
        reused=verdict or None,
    )


def test_only_a_passed_verdict_counts_as_a_pass():
    event = graded("passed")
    assert progress._pass(event) == (event.user_id, event.assignment_id, NOW)
    assert progress._pass(graded("failed")) is None
    assert progress._pass(graded("error")) is None
    assert progress._pass(created("passed")) is not None
    assert progress._pass(created("failed")) is None
    assert progress._pass(created(None)) is None
