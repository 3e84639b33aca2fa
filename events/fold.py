"""One submission's events -> its state: the one model of a submission every service uses.

Pure: no I/O. The rules are those of docs/design.md ("The submission as clients see it",
"Write rules"); the projector's SQL is checked against them by a property test
(tests/integration/projector/test_fold_agrees.py).

- `SubmissionCreated` starts it: `pending`, or the reused verdict, graded at once. A second
  creation, and any event before the first, change nothing.
- `SubmissionGradingStarted(a)`: `grading`, when `a` is newer than the latest attempt, or is it
  and no verdict of it came yet.
- `SubmissionGraded(a)` / `SubmissionRegradeCancelled(a)`: its verdict, unless a newer attempt
  was asked for (a stale verdict is ignored).
- `SubmissionRegradeRequested(a)`: `pending` again, verdict cleared, when `a` is newer.
- `SubmissionDeleted`: gone; nothing after it changes what clients see.
- An event at or below the sequence already folded is a redelivery: ignored.

`last_seq` is the sequence of the last event that changed what clients see; events that change
nothing visible (stale attempts, anything after deletion) leave it. `waiting` is the 409 rule:
the student still waits for this submission's first verdict (a submission deleted while
waiting still does, until its grader appends that verdict); re-grades never make them wait.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from events.base import Event
from events.submissions import (
    Feedback,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
)

Status = Literal["pending", "grading", "passed", "failed", "error"]
UNDECIDED: tuple[Status, ...] = ("pending", "grading")  # no verdict for the latest attempt yet


class SubmissionState(msgspec.Struct, frozen=True, kw_only=True):
    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    code: str
    status: Status
    feedback: Feedback | None
    created_at: datetime
    graded_at: datetime | None
    attempt: int = 1  # the latest grading asked for: results of older attempts are stale
    deleted: bool = False
    last_seq: int  # the last event that changed what clients see
    seen_seq: int  # the last event folded, visible or not
    waiting: bool  # the student waits for its first verdict (their next submit is a 409)
    started: int = 0  # the latest attempt a grader started
    graded: int = 0  # the latest attempt a verdict was given for (a reused verdict: 1)

    @property
    def undecided(self) -> bool:
        """Its latest attempt has no verdict yet (a re-grade can not be asked for now)."""
        return self.status in UNDECIDED


def created(event: SubmissionCreated, seq: int) -> SubmissionState:
    reused = event.reused
    return SubmissionState(
        submission_id=event.submission_id,
        user_id=event.user_id,
        assignment_id=event.assignment_id,
        code=event.code,
        status=reused.status if reused else "pending",
        feedback=reused.feedback if reused else None,
        created_at=event.occurred_at,
        graded_at=event.occurred_at if reused else None,
        last_seq=seq,
        seen_seq=seq,
        waiting=reused is None,
        graded=1 if reused else 0,
    )


def step(state: SubmissionState | None, event: Event, seq: int) -> SubmissionState | None:
    """The state after one more event, at stream sequence `seq`."""
    if state is None:
        return created(event, seq) if isinstance(event, SubmissionCreated) else None
    if seq <= state.seen_seq or getattr(event, "submission_id", None) != state.submission_id:
        return state
    hidden = _hidden(state, event)  # what changes whether or not clients see it
    shown = None if state.deleted else _shown(state, event)
    if shown is None:
        return msgspec.structs.replace(state, seen_seq=seq, **hidden)
    return msgspec.structs.replace(state, seen_seq=seq, last_seq=seq, **hidden, **shown)


def fold(
    events: Iterable[tuple[int, Event]], state: SubmissionState | None = None
) -> SubmissionState | None:
    """Fold (stream sequence, event) pairs, in stream order, onto `state`."""
    for seq, event in events:
        state = step(state, event, seq)
    return state


def _hidden(state: SubmissionState, event: Event) -> dict[str, object]:
    match event:
        case SubmissionGradingStarted(attempt=attempt):
            return {"started": max(state.started, attempt)}
        case SubmissionGraded(attempt=attempt):
            return {"graded": max(state.graded, attempt), "waiting": False}
        case SubmissionDeleted(pending=pending) if not state.deleted:
            return {"waiting": state.waiting and pending}
    return {}


def _shown(state: SubmissionState, event: Event) -> dict[str, object] | None:
    """The fields of what clients see that the event changes, or None if it changes none."""
    latest = state.attempt
    match event:
        case SubmissionGradingStarted(attempt=attempt) if attempt > latest or (
            attempt == latest and state.undecided
        ):
            return {"status": "grading", "attempt": attempt}
        case SubmissionGraded(attempt=attempt, status=status, feedback=feedback) if (
            attempt >= latest
        ):
            return {
                "status": status,
                "feedback": feedback,
                "graded_at": event.occurred_at,
                "attempt": attempt,
            }
        case SubmissionRegradeRequested(attempt=attempt) if attempt > latest:
            return {"status": "pending", "feedback": None, "graded_at": None, "attempt": attempt}
        case SubmissionRegradeCancelled(attempt=attempt, status=status, feedback=feedback) if (
            attempt >= latest
        ):
            return {
                "status": status,
                "feedback": feedback,
                "graded_at": event.graded_at,
                "attempt": attempt,
            }
        case SubmissionDeleted():
            return {"deleted": True}
    return None
