"""Read model `submissions`: each submission as its student sees it, folded from its events."""

from collections.abc import Iterator, Sequence
from typing import Any

import msgspec
from psycopg import AsyncConnection
from psycopg.types.json import Json

from common import readmodel
from common.cache import Cache
from events import (
    Event,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
)
from events.fold import SubmissionState, fold
from services.projector.projections.columns import out_of_range

# v2: code and feedback in `json` columns, which keep any text (text and jsonb refuse NUL)
NAME = "submissions_v2"

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions_v2 (
    submission_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    code json NOT NULL,
    status text NOT NULL,
    feedback json,
    attempt integer NOT NULL,
    created_at timestamptz NOT NULL,
    graded_at timestamptz,
    deleted boolean NOT NULL DEFAULT false,
    last_seq bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_v2_by_student
    ON submissions_v2 (user_id, created_at DESC, submission_id DESC) WHERE NOT deleted;
CREATE INDEX IF NOT EXISTS submissions_v2_by_student_assignment
    ON submissions_v2 (user_id, assignment_id, created_at DESC, submission_id DESC)
    WHERE NOT deleted;
"""

_CREATE = """
INSERT INTO submissions_v2 (submission_id, user_id, assignment_id, code, status, feedback, attempt,
                         created_at, graded_at, last_seq)
VALUES (%(id)s, %(user_id)s, %(assignment_id)s, %(code)s, %(status)s, %(feedback)s, 1,
        %(at)s, %(graded_at)s, %(seq)s)
ON CONFLICT (submission_id) DO NOTHING
"""

# Every update: only a live row, only forward in the stream, and never for an older attempt.
_LIVE = "WHERE submission_id = %(id)s AND NOT deleted AND last_seq < %(seq)s"

_STARTED = f"""
UPDATE submissions_v2 SET status = 'grading', attempt = %(attempt)s, last_seq = %(seq)s
{_LIVE} AND (attempt < %(attempt)s OR (attempt = %(attempt)s AND status IN ('pending', 'grading')))
"""

_GRADED = f"""
UPDATE submissions_v2 SET status = %(status)s, feedback = %(feedback)s, graded_at = %(at)s,
    attempt = %(attempt)s, last_seq = %(seq)s
{_LIVE} AND attempt <= %(attempt)s
"""

_REGRADE = f"""
UPDATE submissions_v2 SET status = 'pending', feedback = NULL, graded_at = NULL,
    attempt = %(attempt)s, last_seq = %(seq)s
{_LIVE} AND attempt < %(attempt)s
"""

# a cancelled re-grade: the verdict before it again
_CANCELLED = f"""
UPDATE submissions_v2 SET status = %(status)s, feedback = %(feedback)s, graded_at = %(graded_at)s,
    attempt = %(attempt)s, last_seq = %(seq)s
{_LIVE} AND attempt <= %(attempt)s
"""

_DELETED = f"UPDATE submissions_v2 SET deleted = true, last_seq = %(seq)s {_LIVE}"

_SOME = "SELECT * FROM submissions_v2 WHERE submission_id = ANY(%s)"

CACHED = (readmodel.submission_key("*"),)
COLUMNS = (
    "submission_id", "user_id", "assignment_id", "code", "status", "feedback", "attempt",
    "created_at", "graded_at", "deleted", "last_seq",
)  # fmt: skip


def _created(event: SubmissionCreated) -> dict[str, Any]:
    reused = event.reused
    return {
        "user_id": event.user_id,
        "assignment_id": event.assignment_id,
        "code": Json(event.code),
        "status": reused.status if reused else "pending",
        "feedback": Json(msgspec.to_builtins(reused.feedback)) if reused else None,
        "graded_at": event.occurred_at if reused else None,
    }


def _change(event: Event) -> tuple[str, dict[str, Any]] | None:
    """The statement for one event and its parameters (besides id, seq and time)."""
    match event:
        case SubmissionCreated():
            return _CREATE, _created(event)
        case SubmissionGradingStarted(attempt=attempt):
            return _STARTED, {"attempt": attempt}
        case SubmissionGraded(attempt=attempt, status=status, feedback=feedback):
            return _GRADED, {
                "attempt": attempt,
                "status": status,
                "feedback": Json(msgspec.to_builtins(feedback)),
            }
        case SubmissionRegradeRequested(attempt=attempt):
            return _REGRADE, {"attempt": attempt}
        case SubmissionRegradeCancelled(attempt=attempt, status=status, feedback=feedback):
            return _CANCELLED, {
                "attempt": attempt,
                "status": status,
                "feedback": Json(msgspec.to_builtins(feedback)),
                "graded_at": event.graded_at,
            }
        case SubmissionDeleted():
            return _DELETED, {}
    return None


async def apply(conn: AsyncConnection[Any], event: Event, seq: int) -> None:
    change = _change(event)
    if change is not None:
        sql, params = change
        ids = {"id": event.submission_id, "seq": seq, "at": event.occurred_at}  # type: ignore[attr-defined]
        await conn.execute(sql, {**ids, **params})


async def refresh(conn: AsyncConnection[Any], cache: Cache, events: Sequence[Event]) -> None:
    """Refresh (or tombstone) each submission the events are about."""
    ids = list(dict.fromkeys(i for e in events if (i := getattr(e, "submission_id", None))))
    if not ids:
        return
    for row in await (await conn.execute(_SOME, (ids,))).fetchall():
        submission_id = row["submission_id"]
        if row["deleted"]:
            await cache.tombstone(readmodel.submission_key(submission_id), row["last_seq"])
        else:
            key = readmodel.submission_key(submission_id)
            await cache.put_if_newer(key, readmodel.submission(row), row["last_seq"])


def _dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


class Rebuilt:
    """The table folded in memory (a replay): events.fold per submission, rows at the end.
    The SQL above gives the same rows event by event (tests/integration/projector/
    test_fold_agrees.py checks it on random histories)."""

    def __init__(self) -> None:
        self.states: dict[Any, SubmissionState | None] = {}

    def refused(self, event: Event) -> str | None:
        attempt = getattr(event, "attempt", None)  # a statement parameter of every event with one
        return None if attempt is None else out_of_range(attempt)

    def add(self, event: Event, seq: int) -> None:
        submission_id = getattr(event, "submission_id", None)
        if submission_id is not None:
            self.states[submission_id] = fold([(seq, event)], self.states.get(submission_id))

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for s in self.states.values():
            if s is not None:
                feedback = None if s.feedback is None else Json(s.feedback, dumps=_dumps)
                yield (
                    s.submission_id, s.user_id, s.assignment_id, Json(s.code, _dumps), s.status,
                    feedback, s.attempt, s.created_at, s.graded_at, s.deleted, s.last_seq,
                )  # fmt: skip
