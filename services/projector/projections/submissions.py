"""Read model `submissions`: each submission as its student sees it, folded from its events."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec
from psycopg import AsyncConnection
from psycopg.types.json import Json

from common.cache import Cache
from events import (
    Event,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
)

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

_DELETED = f"UPDATE submissions_v2 SET deleted = true, last_seq = %(seq)s {_LIVE}"

_SOME = "SELECT * FROM submissions_v2 WHERE submission_id = ANY(%s)"


def key(submission_id: object) -> str:
    return f"query:submission:{submission_id}"


def _utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC)


def view(row: dict[str, Any]) -> dict[str, Any]:
    """The client shape plus `user_id` (who may read it); `last_seq` is added by the cache."""
    shape: dict[str, Any] = msgspec.to_builtins(
        {
            "id": row["submission_id"],
            "user_id": row["user_id"],
            "assignment_id": row["assignment_id"],
            "code": row["code"],
            "status": row["status"],
            "feedback": row["feedback"],
            "created_at": _utc(row["created_at"]),
            "graded_at": _utc(row["graded_at"]),
        }
    )
    return shape


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
            await cache.tombstone(key(submission_id), row["last_seq"])
        else:
            await cache.put_if_newer(key(submission_id), view(row), row["last_seq"])
