"""The API's JSON shapes (../shared/CONTRACT.md) as Structs: what handlers return, what the
OpenAPI documents describe, and what web/src/lib/api-types.ts is generated from."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

from events import CodeError, Feedback, TestStyle, fold, runfold
from events.fold import Status


class Problem(msgspec.Struct, frozen=True):
    """Every error: a short code and a sentence a person understands."""

    error: str
    detail: str


class Health(msgspec.Struct, frozen=True):
    ok: bool


class Session(msgspec.Struct, frozen=True):
    user_id: UUID
    token: str


class AssignmentSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    title: str
    position: int


AssignmentKind = Literal["function", "program"]


class Assignment(AssignmentSummary, frozen=True, kw_only=True):
    handout: str  # Markdown
    starter: str
    # "function": tests call `entry_point` (a run may take a call); "program": reads stdin
    kind: AssignmentKind = "program"
    entry_point: str | None = None


def assignment_kind(test_style: TestStyle, entry_point: str | None) -> AssignmentKind:
    """A module whose tests call a named function is a "function"; anything else a program."""
    return "function" if test_style == "module" and entry_point else "program"


RunStatus = runfold.RunStatus


class RunAccepted(msgspec.Struct, frozen=True):
    id: UUID
    status: RunStatus


class Run(msgspec.Struct, frozen=True, kw_only=True):
    """An ungraded run (CONTRACT "Runs"): never a submission, no verdict."""

    id: UUID
    assignment_id: UUID
    status: RunStatus
    stdout: str = ""
    stderr: str = ""
    value: str | None = None  # the call's result as repr() writes it
    error: CodeError | None = None  # the exception that ended it, with the student's line
    limit: str | None = None  # the limit that stopped it: wall, cpu, memory, output, file
    time_ms: int | None = None
    created_at: datetime


def run(state: runfold.RunState) -> Run:
    """The client shape of a folded run (push sends it; the projector's rows agree): its
    output's fields (events.RunOutput) once finished, none before."""
    output = {} if state.output is None else msgspec.structs.asdict(state.output)
    return Run(
        id=state.run_id,
        assignment_id=state.assignment_id,
        status=state.status,
        created_at=state.created_at,
        **output,
    )


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    assignment_id: UUID
    code: str
    status: Status
    feedback: Feedback | None
    created_at: datetime
    graded_at: datetime | None
    last_seq: int  # the stream seq of its latest event: live messages older than it are stale


class WrittenSubmission(Submission, frozen=True, kw_only=True):
    stream_seq: int  # the seq this write reached; reads after it wait for the projector


def submission(state: fold.SubmissionState) -> Submission:
    """The client shape of a folded submission (push sends it; the projector's rows agree)."""
    return Submission(
        id=state.submission_id,
        assignment_id=state.assignment_id,
        code=state.code,
        status=state.status,
        feedback=state.feedback,
        created_at=state.created_at,
        graded_at=state.graded_at,
        last_seq=state.last_seq,
    )


class SubmissionPage(msgspec.Struct, frozen=True):
    items: list[Submission]
    next: str | None  # the cursor of the next page, or null on the last


class Progress(msgspec.Struct, frozen=True):
    points: int
    completed: list[UUID]
    next_assignment_id: UUID | None


class EventIntegrity(msgspec.Struct, frozen=True, kw_only=True):
    """An event's place in its subject's hash chain (events/integrity.py)."""

    prev: str | None  # null: stored without integrity fields
    hash: str | None
    verified: bool  # its hash recomputes and chains to the event before it on its subject


class AuditEvent(msgspec.Struct, frozen=True, kw_only=True):
    seq: int  # stream sequence
    time: datetime  # when the stream stored it
    type: str
    version: int
    subject: str
    payload: dict[str, Any] | None  # null when the stored bytes are not a JSON object
    integrity: EventIntegrity


class AuditPage(msgspec.Struct, frozen=True):
    items: list[AuditEvent]
    next: int | None  # pass as `after` for the next page; null when no more are stored
