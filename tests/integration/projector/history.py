"""Builders of real events, appending them to the stream, and dumps of the read models."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from common import nats as gnats
from events import (
    AssignmentPublished,
    CodeError,
    Event,
    Feedback,
    ReusedVerdict,
    RunFinished,
    RunOutput,
    RunRequested,
    RunStarted,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    Verdict,
    subjects,
)
from services.projector.projections import PROJECTIONS
from services.projector.replay import short

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


class Submission:
    """Ids of one submission, and its events."""

    def __init__(self, user_id: UUID, assignment_id: UUID, code: str = "print(1)\n") -> None:
        self.submission_id = uuid.uuid4()
        self.user_id = user_id
        self.assignment_id = assignment_id
        self.code = code

    def _ids(self) -> dict[str, Any]:
        return {
            "submission_id": self.submission_id,
            "user_id": self.user_id,
            "assignment_id": self.assignment_id,
        }

    def created(self, minute: int = 0, reused: Verdict | None = None) -> SubmissionCreated:
        verdict = None
        if reused is not None:
            feedback = Feedback(message=f"reused {reused}")
            verdict = ReusedVerdict(
                from_submission_id=uuid.uuid4(), status=reused, feedback=feedback
            )
        return SubmissionCreated(
            occurred_at=at(minute),
            code=self.code,
            code_sha256="c" * 64,
            assignment_sha256="a" * 64,
            reused=verdict,
            **self._ids(),
        )

    def started(self, minute: int = 1, attempt: int = 1) -> SubmissionGradingStarted:
        return SubmissionGradingStarted(
            occurred_at=at(minute), attempt=attempt, grader_id="g1", **self._ids()
        )

    def graded(
        self, status: Verdict = "passed", minute: int = 2, attempt: int = 1
    ) -> SubmissionGraded:
        feedback = Feedback(message=f"{status} on attempt {attempt}")
        return SubmissionGraded(
            occurred_at=at(minute), attempt=attempt, status=status, feedback=feedback, **self._ids()
        )

    def regrade(self, minute: int = 3, attempt: int = 2) -> SubmissionRegradeRequested:
        return SubmissionRegradeRequested(
            occurred_at=at(minute), attempt=attempt, requested_by="operator", **self._ids()
        )

    def deleted(self, minute: int = 4) -> SubmissionDeleted:
        return SubmissionDeleted(occurred_at=at(minute), **self._ids())


class Run:
    """Ids of one ungraded run, and its events."""

    def __init__(self, user_id: UUID, assignment_id: UUID) -> None:
        self.run_id = uuid.uuid4()
        self.user_id = user_id
        self.assignment_id = assignment_id

    def requested(self, minute: int = 0, call: str | None = "add(2, 3)") -> RunRequested:
        return RunRequested(
            occurred_at=at(minute),
            run_id=self.run_id,
            user_id=self.user_id,
            assignment_id=self.assignment_id,
            assignment_sha256="a" * 64,
            code="def add(a, b):\n    return a + b\n",
            stdin="",
            call=call,
        )

    def started(self, minute: int = 1) -> RunStarted:
        return RunStarted(
            occurred_at=at(minute), run_id=self.run_id, user_id=self.user_id, grader_id="g1"
        )

    def finished(self, minute: int = 2, output: RunOutput | None = None) -> RunFinished:
        return RunFinished(
            occurred_at=at(minute),
            run_id=self.run_id,
            user_id=self.user_id,
            assignment_id=self.assignment_id,
            output=output or RunOutput(stdout="hi\n", value="5", time_ms=12),
        )


FAILED_RUN = RunOutput(
    stdout="before\n",
    stderr="Traceback ...\n",
    error=CodeError(error="ZeroDivisionError: division by zero", line=2, source_line="1 / 0"),
    limit=None,
    time_ms=7,
)


def published(
    assignment_id: UUID, position: int, title: str = "", minute: int = 0
) -> AssignmentPublished:
    return AssignmentPublished(
        occurred_at=at(minute),
        assignment_id=assignment_id,
        source_id=f"src-{position}",
        title=title or f"Assignment {position}",
        position=position,
        handout=f"# Assignment {position}\n",
        starter="def solve():\n    pass\n",
        tests="def test_secret(): assert False\n",
        test_style="module",
        content_sha256="s" * 64,
    )


def subject_of(event: Event) -> str:
    if isinstance(event, AssignmentPublished):
        return subjects.assignment(event.assignment_id)
    if isinstance(event, RunRequested | RunStarted | RunFinished):
        return subjects.run(event.user_id, event.run_id)
    return subjects.submission(event.user_id, event.submission_id)  # type: ignore[attr-defined]


async def append(js: JetStreamContext, *events: Event) -> list[int]:
    """Append real events through common.nats.append; their stream sequences."""
    return [
        await gnats.append(js, subject_of(event), event, msg_id=f"test:{uuid.uuid4()}")
        for event in events
    ]


async def dump(pool: AsyncConnectionPool[Any]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every read model, in a stable order."""
    tables = {}
    async with pool.connection() as conn:
        for projection in PROJECTIONS:
            cur = await conn.execute(f"SELECT * FROM {projection.NAME} ORDER BY 1, last_seq")
            tables[short(projection.NAME)] = await cur.fetchall()
    return tables
