"""Events of one submission, built for the push tests."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from events import (
    Feedback,
    ReusedVerdict,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    Verdict,
    subjects,
)

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
CODE = "def add(a, b):\n    return a + b\n"


class Story:
    """One submission of one student; each builder gives the next event of its life."""

    def __init__(self, user_id: UUID | None = None, code: str = CODE) -> None:
        self.user_id = user_id or uuid4()
        self.submission_id = uuid4()
        self.assignment_id = uuid4()
        self.code = code
        self.subject = subjects.submission(self.user_id, self.submission_id)
        self._minutes = 0

    def _ids(self) -> dict[str, Any]:
        self._minutes += 1
        return {
            "submission_id": self.submission_id,
            "user_id": self.user_id,
            "assignment_id": self.assignment_id,
            "occurred_at": T0 + timedelta(minutes=self._minutes),
        }

    def created(self, reused: Verdict | None = None) -> SubmissionCreated:
        verdict = None
        if reused is not None:
            verdict = ReusedVerdict(
                from_submission_id=uuid4(), status=reused, feedback=Feedback(message="reused")
            )
        return SubmissionCreated(
            **self._ids(),
            code=self.code,
            code_sha256="c" * 64,
            assignment_sha256="a" * 64,
            reused=verdict,
        )

    def started(self, attempt: int = 1) -> SubmissionGradingStarted:
        return SubmissionGradingStarted(**self._ids(), attempt=attempt, grader_id="g1")

    def graded(self, status: Verdict = "passed", attempt: int = 1) -> SubmissionGraded:
        feedback = Feedback(message=f"attempt {attempt}: {status}")
        return SubmissionGraded(**self._ids(), attempt=attempt, status=status, feedback=feedback)

    def regrade(self, attempt: int = 2) -> SubmissionRegradeRequested:
        return SubmissionRegradeRequested(**self._ids(), attempt=attempt, requested_by="operator")

    def deleted(self) -> SubmissionDeleted:
        return SubmissionDeleted(**self._ids())
