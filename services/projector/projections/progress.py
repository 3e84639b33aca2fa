"""Read model `progress`: the assignments each student has passed, each counted once."""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from common import readmodel
from common.cache import Cache
from events import Event, SubmissionCreated, SubmissionGraded

NAME = "progress"

SCHEMA = """
CREATE TABLE IF NOT EXISTS progress (
    user_id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    passed_at timestamptz NOT NULL,
    last_seq bigint NOT NULL,
    PRIMARY KEY (user_id, assignment_id)
);
"""

# The first pass in the stream stays, whatever order passes are applied in (a reapply of
# set-aside events comes late): later passes of the same assignment change nothing.
_PASS = """
INSERT INTO progress (user_id, assignment_id, passed_at, last_seq) VALUES (%s, %s, %s, %s)
ON CONFLICT (user_id, assignment_id) DO UPDATE
    SET passed_at = excluded.passed_at, last_seq = excluded.last_seq
    WHERE progress.last_seq > excluded.last_seq
"""

CACHED = (readmodel.progress_key("*"),)
COLUMNS = ("user_id", "assignment_id", "passed_at", "last_seq")

_OF_STUDENTS = """
SELECT user_id, assignment_id, last_seq FROM progress WHERE user_id = ANY(%s)
ORDER BY passed_at, assignment_id
"""


def _pass(event: Event) -> tuple[UUID, UUID, datetime] | None:
    """(user, assignment, when) if the event is a pass."""
    match event:
        case SubmissionGraded(status="passed"):
            return event.user_id, event.assignment_id, event.occurred_at
        case SubmissionCreated(reused=reused) if reused is not None and reused.status == "passed":
            return event.user_id, event.assignment_id, event.occurred_at
    return None


async def apply(conn: AsyncConnection[Any], event: Event, seq: int) -> None:
    passed = _pass(event)
    if passed is not None:
        await conn.execute(_PASS, (*passed, seq))


async def refresh(conn: AsyncConnection[Any], cache: Cache, events: Sequence[Event]) -> None:
    """Refresh the progress of each student who passed something in the events."""
    users = list(dict.fromkeys(passed[0] for e in events if (passed := _pass(e)) is not None))
    if not users:
        return
    rows = await (await conn.execute(_OF_STUDENTS, (users,))).fetchall()
    for user_id in users:
        own = [row for row in rows if row["user_id"] == user_id]
        last_seq = max((row["last_seq"] for row in own), default=0)
        value = readmodel.completed(user_id, own)
        await cache.put_if_newer(readmodel.progress_key(user_id), value, last_seq)


class Rebuilt:
    """The table folded in memory (a replay): each student's first pass of each assignment."""

    def __init__(self) -> None:
        self.first: dict[tuple[UUID, UUID], tuple[datetime, int]] = {}

    def refused(self, event: Event) -> str | None:
        return None  # uuids and a time: what the stream holds, PostgreSQL takes

    def add(self, event: Event, seq: int) -> None:
        passed = _pass(event)
        if passed is not None:
            self.first.setdefault((passed[0], passed[1]), (passed[2], seq))

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return ((*pair, at, seq) for pair, (at, seq) in self.first.items())
