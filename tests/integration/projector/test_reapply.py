"""Events the store refuses are set aside and their subjects held; once the store is fixed,
reapplying them gives exactly the read models a clean rebuild gives."""

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import msgspec
from hypothesis import event, given
from hypothesis import strategies as st
from psycopg_pool import AsyncConnectionPool

from common import db, setaside
from events import Event, subjects
from services.projector import reapply, runner, schema
from services.projector.projections import submissions
from tests.integration.projector.history import append, dump
from tests.integration.projector.test_redelivery import (
    DB_EXAMPLES,
    RUNS,
    SUBMISSIONS,
    assignment_events,
    run_events,
    submission_events,
)

HUGE = 2**40  # the read model's attempt column is a 32-bit integer: PostgreSQL refuses this


def refused(event: Event) -> Event:
    if hasattr(event, "attempt"):
        return msgspec.structs.replace(event, attempt=HUGE)  # type: ignore[type-var]
    return event


def histories() -> st.SearchStrategy[list[Event]]:
    """Every submission created first, then anything, some of it with a refused attempt."""
    start = [sub.created(0) for sub in SUBMISSIONS]
    anything = st.one_of(
        assignment_events(),
        *(submission_events(s) for s in SUBMISSIONS),
        *(run_events(r) for r in RUNS),
    )
    rest = st.lists(st.tuples(anything, st.booleans()), min_size=3, max_size=20)
    return rest.map(lambda rest: start + [refused(e) if r else e for e, r in rest])


async def fresh(js, pool) -> None:
    for stream in (subjects.EVENTS_STREAM, subjects.SET_ASIDE_STREAM):
        await js.purge_stream(stream)
    await schema.drop(pool)
    await schema.create(pool)


async def fix(pool) -> None:
    async with pool.connection() as conn:
        await conn.execute(f"ALTER TABLE {submissions.NAME} ALTER attempt TYPE bigint")


@contextlib.asynccontextmanager
async def restarted(database_url: str) -> AsyncIterator[AsyncConnectionPool[Any]]:
    """New connections, as a fixed projector has: none holds a plan made for the old column."""
    fixed = await db.open_pool(database_url, max_size=2)
    try:
        yield fixed
    finally:
        await fixed.close()


@DB_EXAMPLES
@given(history=histories())
async def test_after_the_fix_reapply_gives_what_a_clean_rebuild_gives(
    js, pool, database_url, query_cache, history
):
    await fresh(js, pool)
    await append(js, *history)
    reached = await runner.catch_up(js, pool, query_cache)
    assert await schema.checkpoints(pool) == (reached, reached)  # it went on past them all
    before = await setaside.records(js, "projector")
    event(f"set aside: {'some' if before else 'none'}")
    assert await reapply.set_aside_events(js, pool, query_cache) == 0  # not fixed yet
    assert await setaside.records(js, "projector") == before
    await fix(pool)
    async with restarted(database_url) as fixed:
        await reapply.set_aside_events(js, fixed, query_cache)
        assert await setaside.records(js, "projector") == []
        reapplied = await dump(fixed)

        await schema.drop(fixed)
        await schema.create(fixed)
        await fix(fixed)
        await runner.catch_up(js, fixed, query_cache)
        assert await setaside.records(js, "projector") == []
        assert reapplied == await dump(fixed)
