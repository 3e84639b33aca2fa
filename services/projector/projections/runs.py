"""Read model `runs`: each ungraded run as its student sees it, folded from its events
(events/runfold.py's rules; never a submission, so no other read model looks at runs)."""

from collections.abc import Iterator, Sequence
from typing import Any

import msgspec
from psycopg import AsyncConnection
from psycopg.types.json import Json

from common import readmodel
from common.cache import Cache
from events import Event, RunFinished, RunOutput, RunRequested, RunStarted
from events.runfold import RunState, fold
from services.projector.projections.columns import out_of_range

NAME = "runs"

# what a run gave back in `json` columns, which keep any text (text refuses NUL)
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    assignment_id uuid NOT NULL,
    status text NOT NULL,
    stdout json,
    stderr json,
    value json,
    error json,
    limit_hit json,
    time_ms integer,
    created_at timestamptz NOT NULL,
    last_seq bigint NOT NULL
);
"""

_REQUESTED = """
INSERT INTO runs (run_id, user_id, assignment_id, status, created_at, last_seq)
VALUES (%(id)s, %(user_id)s, %(assignment_id)s, 'pending', %(at)s, %(seq)s)
ON CONFLICT (run_id) DO NOTHING
"""

# only forward in the stream; a finished run never changes, a started one never goes back
_STARTED = """
UPDATE runs SET status = 'running', last_seq = %(seq)s
WHERE run_id = %(id)s AND last_seq < %(seq)s AND status = 'pending'
"""

_FINISHED = """
UPDATE runs SET status = 'finished', stdout = %(stdout)s, stderr = %(stderr)s, value = %(value)s,
    error = %(error)s, limit_hit = %(limit)s, time_ms = %(time_ms)s, last_seq = %(seq)s
WHERE run_id = %(id)s AND last_seq < %(seq)s AND status <> 'finished'
"""

_SOME = "SELECT * FROM runs WHERE run_id = ANY(%s)"

CACHED = (readmodel.run_key("*"),)
COLUMNS = (
    "run_id", "user_id", "assignment_id", "status", "stdout", "stderr", "value", "error",
    "limit_hit", "time_ms", "created_at", "last_seq",
)  # fmt: skip


def _dumps(value: Any) -> str:
    return msgspec.json.encode(value).decode()


def _json(value: Any) -> Json | None:
    return None if value is None else Json(msgspec.to_builtins(value), dumps=_dumps)


def _output(output: RunOutput) -> dict[str, Any]:
    return {
        "stdout": _json(output.stdout),
        "stderr": _json(output.stderr),
        "value": _json(output.value),
        "error": _json(output.error),
        "limit": _json(output.limit),
        "time_ms": output.time_ms,
    }


def _change(event: Event) -> tuple[str, dict[str, Any]] | None:
    """The statement for one event and its parameters (besides id, seq and time)."""
    match event:
        case RunRequested():
            return _REQUESTED, {"user_id": event.user_id, "assignment_id": event.assignment_id}
        case RunStarted():
            return _STARTED, {}
        case RunFinished(output=output):
            return _FINISHED, _output(output)
    return None


async def apply(conn: AsyncConnection[Any], event: Event, seq: int) -> None:
    change = _change(event)
    if change is not None:
        sql, params = change
        ids = {"id": event.run_id, "seq": seq, "at": event.occurred_at}  # type: ignore[attr-defined]
        await conn.execute(sql, {**ids, **params})


async def refresh(conn: AsyncConnection[Any], cache: Cache, events: Sequence[Event]) -> None:
    """Refresh each run the events are about (a key per run, common.cache's TTL)."""
    ids = list(dict.fromkeys(e.run_id for e in events if isinstance(e, _RUN_EVENTS)))
    if not ids:
        return
    for row in await (await conn.execute(_SOME, (ids,))).fetchall():
        await cache.put_if_newer(
            readmodel.run_key(row["run_id"]), readmodel.run(row), row["last_seq"]
        )


_RUN_EVENTS = (RunRequested, RunStarted, RunFinished)


class Rebuilt:
    """The table folded in memory (a replay): events/runfold.py per run, rows at the end. The
    SQL above gives the same rows event by event (tests/integration/projector/test_runs.py)."""

    def __init__(self) -> None:
        self.states: dict[Any, RunState | None] = {}

    def refused(self, event: Event) -> str | None:
        return out_of_range(event.output.time_ms) if isinstance(event, RunFinished) else None

    def add(self, event: Event, seq: int) -> None:
        if isinstance(event, _RUN_EVENTS):
            self.states[event.run_id] = fold([(seq, event)], self.states.get(event.run_id))

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for s in self.states.values():
            if s is not None:
                out = _output(s.output) if s.output else dict.fromkeys(_OUTPUT_FIELDS)
                yield (
                    s.run_id, s.user_id, s.assignment_id, s.status, out["stdout"], out["stderr"],
                    out["value"], out["error"], out["limit"], out["time_ms"], s.created_at,
                    s.last_seq,
                )  # fmt: skip


_OUTPUT_FIELDS = ("stdout", "stderr", "value", "error", "limit", "time_ms")
