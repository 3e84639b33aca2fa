"""Read model `assignments`: what a student sees of each assignment (never its tests)."""

from collections.abc import Iterator, Sequence
from typing import Any

from psycopg import AsyncConnection
from psycopg.types.json import Json

from common import readmodel
from common.cache import Cache
from events import AssignmentPublished, Event
from services.projector.projections.columns import out_of_range

# v2: free text in `json` columns, which keep any text (text refuses NUL); v3: the test style
# and entry point, which make an assignment a function or a program (common.shapes)
NAME = "assignments_v3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS assignments_v3 (
    assignment_id uuid PRIMARY KEY,
    source_id json NOT NULL,
    title json NOT NULL,
    position integer NOT NULL,
    handout json NOT NULL,
    starter json NOT NULL,
    test_style text NOT NULL,
    entry_point json,
    last_seq bigint NOT NULL
);
CREATE INDEX IF NOT EXISTS assignments_v3_by_position ON assignments_v3 (position, assignment_id);
"""

_UPSERT = """
INSERT INTO assignments_v3 (assignment_id, source_id, title, position, handout, starter,
                            test_style, entry_point, last_seq)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (assignment_id) DO UPDATE SET
    source_id = excluded.source_id, title = excluded.title, position = excluded.position,
    handout = excluded.handout, starter = excluded.starter, test_style = excluded.test_style,
    entry_point = excluded.entry_point, last_seq = excluded.last_seq
WHERE assignments_v3.last_seq < excluded.last_seq
"""

_ALL = "SELECT * FROM assignments_v3 ORDER BY position, assignment_id"

CACHED = (readmodel.ASSIGNMENTS_KEY, readmodel.assignment_key("*"))
COLUMNS = (
    "assignment_id", "source_id", "title", "position", "handout", "starter", "test_style",
    "entry_point", "last_seq",
)  # fmt: skip


async def apply(conn: AsyncConnection[Any], event: Event, seq: int) -> None:
    if isinstance(event, AssignmentPublished):
        await conn.execute(_UPSERT, _row(event, seq))


def _row(event: AssignmentPublished, seq: int) -> tuple[Any, ...]:
    fields = (Json(event.source_id), Json(event.title), event.position)
    texts = (Json(event.handout), Json(event.starter))
    entry_point = None if event.entry_point is None else Json(event.entry_point)
    return (event.assignment_id, *fields, *texts, event.test_style, entry_point, seq)


async def refresh(conn: AsyncConnection[Any], cache: Cache, events: Sequence[Event]) -> None:
    """Refresh the list and each assignment the events published."""
    published = list(
        dict.fromkeys(e.assignment_id for e in events if isinstance(e, AssignmentPublished))
    )
    if not published:
        return
    rows = await (await conn.execute(_ALL)).fetchall()
    listed = {"items": [readmodel.assignment_summary(row) for row in rows]}
    await cache.put_if_newer(
        readmodel.ASSIGNMENTS_KEY, listed, max((r["last_seq"] for r in rows), default=0)
    )
    for row in rows:
        if row["assignment_id"] in published:
            key = readmodel.assignment_key(row["assignment_id"])
            await cache.put_if_newer(key, readmodel.assignment_detail(row), row["last_seq"])


class Rebuilt:
    """The table folded in memory (a replay): each assignment's latest publish."""

    def __init__(self) -> None:
        self.latest: dict[Any, tuple[AssignmentPublished, int]] = {}

    def refused(self, event: Event) -> str | None:
        return out_of_range(event.position) if isinstance(event, AssignmentPublished) else None

    def add(self, event: Event, seq: int) -> None:
        if isinstance(event, AssignmentPublished):
            self.latest[event.assignment_id] = (event, seq)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return (_row(event, seq) for event, seq in self.latest.values())
