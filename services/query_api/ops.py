"""The operators' reads (/ops/ page): per-assignment figures from the read models, the
submissions of every student as they arrive, and the system's figures. Operator role only."""

import asyncio
import logging
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec
import nats.errors
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import Parameter
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from common import http, shapes, systemstate
from common.auth import Identity
from common.http import ApiError, errors, get
from services.query_api.reader import Reader

log = logging.getLogger(__name__)

_OPS_ERRORS = (400, 401, 403, 422, 503)
FEED_DEFAULT_LIMIT = 50  # submissions per answer of the live feed
FEED_MAX_LIMIT = 200


class AssignmentFigures(msgspec.Struct, frozen=True, kw_only=True):
    """One assignment's figures over every submission made to it (deleted ones too: the
    attempt happened). Rates and medians are null while nothing is graded or passed."""

    assignment_id: UUID
    title: str
    position: int
    attempts: int  # submissions
    students: int  # who submitted at least once
    students_passed: int
    graded: int  # submissions with a verdict
    passed: int  # submissions whose (latest) verdict is a pass
    pass_rate: float | None  # passed / graded
    median_attempts_to_pass: float | None  # a student's submissions up to their first pass
    common_failing_test: str | None  # the test failed most often
    common_failing_count: int  # how often


class OpsSubmission(msgspec.Struct, frozen=True, kw_only=True):
    """A submission as operators follow it: no code, no feedback."""

    id: UUID
    user_id: UUID
    assignment_id: UUID
    status: shapes.Status
    attempt: int
    deleted: bool
    created_at: datetime
    graded_at: datetime | None
    last_seq: int


class OpsSubmissionFeed(msgspec.Struct, frozen=True):
    items: list[OpsSubmission]  # oldest change first
    after: int  # pass as `after` next time: changes past it come then


class OpsSummary(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    assignments: list[AssignmentFigures]
    projector_seq: int  # the stream seq the read models reflect
    # streams and consumers, projector lag, graders, dead letters, set-aside events, graded
    # in the last minute, problems: as `grindstone status` shows them; null without NATS
    system: systemstate.SystemState | None


# one pass: each student's submissions per assignment, numbered in order, then per assignment
# (a student's `tries`: their submissions up to and including their first pass)
_FIGURES = """
WITH numbered AS (
    SELECT assignment_id, user_id, status,
           row_number() OVER (PARTITION BY assignment_id, user_id
                              ORDER BY created_at, submission_id) AS n
    FROM submissions_v2
), per_student AS (
    SELECT assignment_id, user_id, count(*) AS attempts,
           count(*) FILTER (WHERE status IN ('passed', 'failed', 'error')) AS graded,
           count(*) FILTER (WHERE status = 'passed') AS passed,
           min(n) FILTER (WHERE status = 'passed') AS tries
    FROM numbered GROUP BY assignment_id, user_id
)
SELECT a.assignment_id, a.title #>> '{}' AS title, a.position,
       coalesce(sum(p.attempts), 0)::int AS attempts,
       count(p.user_id)::int AS students,
       count(p.tries)::int AS students_passed,
       coalesce(sum(p.graded), 0)::int AS graded,
       coalesce(sum(p.passed), 0)::int AS passed,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY p.tries) AS median
FROM assignments_v3 a LEFT JOIN per_student p USING (assignment_id)
GROUP BY a.assignment_id ORDER BY a.position, a.assignment_id
"""

_FAILING = """
WITH failures AS (
    SELECT s.assignment_id, t ->> 'name' AS name
    FROM submissions_v2 s,
         json_array_elements(CASE WHEN json_typeof(s.feedback -> 'tests') = 'array'
                             THEN s.feedback -> 'tests' ELSE '[]'::json END) t
    WHERE s.status IN ('failed', 'error') AND t ->> 'outcome' IN ('failed', 'error')
), counted AS (
    SELECT assignment_id, name, count(*) AS times FROM failures GROUP BY assignment_id, name
)
SELECT DISTINCT ON (assignment_id) assignment_id, name, times FROM counted
ORDER BY assignment_id, times DESC, name
"""

_FEED_COLUMNS = """
SELECT submission_id AS id, user_id, assignment_id, status, attempt, deleted, created_at,
       graded_at, last_seq FROM submissions_v2
"""
# a first look: the newest changes; then every change past the cursor, oldest first
_FEED_NEWEST = _FEED_COLUMNS + "ORDER BY last_seq DESC LIMIT %(limit)s"
_FEED_AFTER = _FEED_COLUMNS + "WHERE last_seq > %(after)s ORDER BY last_seq LIMIT %(limit)s"
_CHECKPOINT = "SELECT coalesce(min(stream_seq), 0) AS seq FROM projection_checkpoint"


async def figures(pool: AsyncConnectionPool[Any]) -> list[AssignmentFigures]:
    """The figures and the failing tests, read at once on two connections."""

    async def fetch(sql: str) -> list[dict[str, Any]]:
        async with pool.connection() as conn:
            return await (await conn.execute(sql)).fetchall()

    rows, failing_rows = await asyncio.gather(fetch(_FIGURES), fetch(_FAILING))
    failing = {r["assignment_id"]: r for r in failing_rows}
    out = []
    for row in rows:
        top = failing.get(row["assignment_id"])
        median = row.pop("median")
        out.append(
            AssignmentFigures(
                **row,
                pass_rate=row["passed"] / row["graded"] if row["graded"] else None,
                median_attempts_to_pass=median,
                common_failing_test=top["name"] if top else None,
                common_failing_count=top["times"] if top else 0,
            )
        )
    return out


async def feed(conn: AsyncConnection[Any], after: int | None, limit: int) -> OpsSubmissionFeed:
    if after is None:
        rows = list(reversed(await (await conn.execute(_FEED_NEWEST, {"limit": limit})).fetchall()))
    else:
        rows = await (await conn.execute(_FEED_AFTER, {"after": after, "limit": limit})).fetchall()
    items = msgspec.convert(rows, list[OpsSubmission])
    return OpsSubmissionFeed(items, items[-1].last_seq if items else (after or 0))


def require_operator(caller: Identity) -> None:
    http.require_role(caller, "operator")


@get("/api/ops/summary", responses=errors(*_OPS_ERRORS))
async def get_ops_summary(
    state: State, reader: NamedDependency[Reader], caller: NamedDependency[Identity]
) -> OpsSummary:
    require_operator(caller)
    assignments = await figures(reader.pool)
    async with reader.pool.connection() as conn:
        row = await (await conn.execute(_CHECKPOINT)).fetchone()
    system = await _system(state, reader)
    return OpsSummary(
        at=datetime.now(UTC),
        assignments=assignments,
        projector_seq=int(row["seq"]) if row else 0,
        system=system,
    )


async def _system(state: State, reader: Reader) -> systemstate.SystemState | None:
    """What `grindstone status` shows; None when NATS does not answer (the figures from
    Postgres still do)."""
    try:
        js = await state.event_log.js()
        return await systemstate.gather(js, reader.pool, reader.cache.client)
    except (ApiError, nats.errors.Error, TimeoutError) as exc:
        log.warning("system state not gathered: %s: %s", type(exc).__name__, exc)
        return None


@get("/api/ops/submissions", responses=errors(*_OPS_ERRORS))
async def get_ops_submissions(
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after: Annotated[
        int | None,
        Parameter(ge=0, description="The `after` of the answer before: changes past it only."),
    ] = None,
    limit: Annotated[
        int, Parameter(ge=1, le=FEED_MAX_LIMIT, description="Submissions per answer.")
    ] = FEED_DEFAULT_LIMIT,
) -> OpsSubmissionFeed:
    require_operator(caller)
    async with reader.pool.connection() as conn:
        return await feed(conn, after, limit)


HANDLERS = [get_ops_summary, get_ops_submissions]
