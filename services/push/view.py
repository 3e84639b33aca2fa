"""Pure fold: one submission's events -> the shape clients see, and the messages each event gives.

Status rules are those of docs/design.md. A regrade request gives a `submission.grading` message
with status `pending` (grading was asked for again; `submission.grading` with status `grading`
follows when a grader picks it up). A created submission that reused an earlier verdict gives
`submission.created` then `submission.graded`, both already carrying the final status.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

from events import (
    Event,
    Feedback,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
)

Status = Literal["pending", "grading", "passed", "failed", "error"]
MessageType = Literal[
    "submission.created", "submission.grading", "submission.graded", "submission.deleted"
]


class SubmissionView(msgspec.Struct, frozen=True, kw_only=True):
    """The submission as clients see it, over HTTP and the WebSocket."""

    id: UUID
    assignment_id: UUID
    code: str
    status: Status
    feedback: Feedback | None
    created_at: datetime
    graded_at: datetime | None
    last_seq: int


class SubmissionState(msgspec.Struct, frozen=True, kw_only=True):
    view: SubmissionView
    attempt: int = 1  # the latest grading asked for: results of older attempts are stale
    deleted: bool = False


class Message(msgspec.Struct, frozen=True, kw_only=True):
    type: MessageType
    submission: SubmissionView
    seq: int  # the stream sequence of the event: resume with `/ws?after=<seq>`


Folded = tuple[SubmissionState | None, list[Message]]

_encoder = msgspec.json.Encoder()


def apply(state: SubmissionState | None, event: Event, seq: int) -> Folded:
    """The state after one event at stream sequence `seq`, and the messages it gives."""
    if state is None:
        return _created(event, seq) if isinstance(event, SubmissionCreated) else (None, [])
    effect = None if state.deleted else _effect(event, state.attempt)
    if effect is None or effect[1] < state.attempt:
        return state, []  # after deletion, a repeated creation, or a stale attempt
    kind, attempt, fields = effect
    view = msgspec.structs.replace(state.view, last_seq=seq, **fields)
    deleted = isinstance(event, SubmissionDeleted)
    new = SubmissionState(view=view, attempt=attempt, deleted=deleted)
    return new, [Message(type=kind, submission=view, seq=seq)]


def to_json(message: Message) -> str:
    return _encoder.encode(message).decode()


def _created(event: SubmissionCreated, seq: int) -> Folded:
    reused = event.reused
    view = SubmissionView(
        id=event.submission_id,
        assignment_id=event.assignment_id,
        code=event.code,
        status=reused.status if reused else "pending",
        feedback=reused.feedback if reused else None,
        created_at=event.occurred_at,
        graded_at=event.occurred_at if reused else None,
        last_seq=seq,
    )
    messages = [Message(type="submission.created", submission=view, seq=seq)]
    if reused:
        messages.append(Message(type="submission.graded", submission=view, seq=seq))
    return SubmissionState(view=view), messages


def _effect(event: Event, attempt: int) -> tuple[MessageType, int, dict[str, Any]] | None:
    """The message kind, the attempt and the changed fields of an event after creation."""
    match event:
        case SubmissionGradingStarted():
            return "submission.grading", event.attempt, {"status": "grading"}
        case SubmissionGraded():
            verdict = {"status": event.status, "feedback": event.feedback}
            return "submission.graded", event.attempt, {**verdict, "graded_at": event.occurred_at}
        case SubmissionRegradeRequested():
            cleared = {"feedback": None, "graded_at": None}
            return "submission.grading", event.attempt, {"status": "pending", **cleared}
        case SubmissionDeleted():
            return "submission.deleted", attempt, {}
    return None
