"""`grindstone replay` (services/projector/replay.py) on the real servers: the rebuilt read
models equal the incremental ones row by row, `--projection` rebuilds only that one, events
the projector set aside are applied again, the Valkey keys it supersedes are cleared."""

import asyncio

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from common import readmodel, setaside
from events import subjects
from services.projector import replay, runner, schema
from services.projector.projections import submissions
from tests.integration.projector.history import Submission, append, dump, published
from tests.integration.projector.test_reapply import histories
from tests.integration.projector.test_redelivery import ASSIGNMENTS, DB_EXAMPLES, USERS

PARKED = "SELECT subject, since_seq FROM projector_parked ORDER BY 1"


async def fresh(js, pool) -> None:
    for stream in (subjects.EVENTS_STREAM, subjects.SET_ASIDE_STREAM):
        await js.purge_stream(stream)
    await schema.drop(pool)
    await schema.create(pool)


async def state(pool) -> dict:
    """Every read-model row, what is held back, and the checkpoints."""
    async with pool.connection() as conn:
        parked = await (await conn.execute(PARKED)).fetchall()
    return {**await dump(pool), "parked": parked, "checkpoints": await schema.checkpoints(pool)}


async def leftovers(pool) -> list:
    async with pool.connection() as conn:
        query = "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'grindstone_%'"
        return await (await conn.execute(query)).fetchall()


@DB_EXAMPLES
@given(history=histories())
async def test_a_replay_gives_the_incremental_read_models(js, pool, query_cache, history):
    """Random histories, some with values PostgreSQL refuses (set aside, subjects held)."""
    await fresh(js, pool)
    await append(js, *history)
    await runner.catch_up(js, pool, query_cache)
    incremental = await state(pool)
    records = await setaside.records(js, "projector")
    report = await replay.replay(js, pool, query_cache)
    assert await state(pool) == incremental
    assert await setaside.records(js, "projector") == records  # still refused, still recorded
    assert report.switched_at == incremental["checkpoints"][1]
    assert report.events == len(history)
    assert await leftovers(pool) == []


async def test_a_replay_of_one_projection_rebuilds_only_that_one(js, pool, query_cache):
    await fresh(js, pool)
    subs = [Submission(USERS[i % 2], ASSIGNMENTS[i % 2]) for i in range(4)]
    await append(js, published(ASSIGNMENTS[0], 1), published(ASSIGNMENTS[1], 2))
    for sub in subs:
        await append(js, sub.created(), sub.started(), sub.graded("passed"))
    await runner.catch_up(js, pool, query_cache)
    clean = await state(pool)
    spoiled = "UPDATE submissions_v2 SET status = 'error'; UPDATE progress SET last_seq = 0"
    async with pool.connection() as conn:
        await conn.execute(spoiled)
    spoilt = await state(pool)

    report = await replay.replay(js, pool, query_cache, ["progress"])
    assert report.projections == ["progress"]
    now = await state(pool)
    assert now["progress"] == clean["progress"]
    assert now["submissions"] == spoilt["submissions"]  # not rebuilt

    await replay.replay(js, pool, query_cache, ["submissions"])  # the short name works too
    assert await state(pool) == clean
    with pytest.raises(LookupError, match="no projection nope"):
        replay.chosen(["nope"])


async def test_events_set_aside_are_applied_by_the_replay(js, pool, query_cache):
    """A projection that refused an event (here a constraint the fixed code does not have):
    the replay applies it and the events held behind it, and their records go."""
    await fresh(js, pool)
    async with pool.connection() as conn:
        await conn.execute(f"ALTER TABLE {submissions.NAME} ADD CHECK (status <> 'error')")
    sub, other = Submission(USERS[0], ASSIGNMENTS[0]), Submission(USERS[1], ASSIGNMENTS[0])
    await append(js, sub.created(), other.created(), sub.started(), sub.graded("error"))
    await append(js, sub.regrade(attempt=2), other.started(), sub.started(attempt=2))
    await runner.catch_up(js, pool, query_cache)
    assert [r.seq for r in await setaside.records(js, "projector")] == [4, 5, 7]
    assert len((await state(pool))["parked"]) == 1

    report = await replay.replay(js, pool, query_cache)
    now = await state(pool)
    assert now["parked"] == [] and await setaside.records(js, "projector") == []
    rows = {row["submission_id"]: row for row in now["submissions"]}
    assert (rows[sub.submission_id]["status"], rows[sub.submission_id]["attempt"]) == ("grading", 2)
    assert rows[other.submission_id]["status"] == "grading"
    assert now["checkpoints"] == (7, 7) and report.switched_at == 7


async def test_the_keys_it_supersedes_are_cleared(js, pool, query_cache):
    await fresh(js, pool)
    sub = Submission(USERS[0], ASSIGNMENTS[0])
    await append(js, published(ASSIGNMENTS[0], 1), sub.created(), sub.graded("passed"))
    await runner.catch_up(js, pool, query_cache)
    key = readmodel.submission_key(sub.submission_id)
    stale = {**(await query_cache.get(key) or {}), "status": "stale"}
    await query_cache.client.set(key, msgspec.json.encode(stale))
    assert await query_cache.get(readmodel.ASSIGNMENTS_KEY) is not None

    report = await replay.replay(js, pool, query_cache, ["submissions"])
    assert await query_cache.get(key) is None  # a reader fills it from the new table
    assert await query_cache.get(readmodel.ASSIGNMENTS_KEY) is not None  # not rebuilt
    assert report.keys_cleared >= 1


async def test_one_replay_at_a_time(js, pool, query_cache):
    await fresh(js, pool)
    async with pool.connection() as conn:
        await conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (replay.LOCK_KEY,))
        with pytest.raises(replay.Busy):
            await replay.replay(js, pool, query_cache)
        await conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (replay.LOCK_KEY,))


@pytest.mark.parametrize(
    "name", ["submissions_v2", "submissions", "progress", "assignments", "assignments_v3", "runs"]
)
def test_projection_names(name):
    assert [p.NAME.startswith(name.split("_")[0]) for p in replay.chosen([name])] == [True]


@given(st.lists(st.sampled_from(["submissions", "progress", "assignments_v3", "runs"]), min_size=1))
def test_each_projection_once(names):
    assert len(replay.chosen(names)) == len(set(n.split("_")[0] for n in names))


async def test_any_text_survives_a_replay(js, pool, query_cache):
    await fresh(js, pool)
    sub = Submission(USERS[0], ASSIGNMENTS[0], code="x = '\x00\t\\n é 😀 \\u0000'\r\n\\\\")
    await append(js, published(ASSIGNMENTS[0], 1, title="Ünïcode \x00 \\"), sub.created())
    await append(js, sub.graded("failed"))
    await runner.catch_up(js, pool, query_cache)
    incremental = await state(pool)
    await replay.replay(js, pool, query_cache)
    assert await state(pool) == incremental
    assert incremental["submissions"][0]["code"] == sub.code


async def test_a_replay_of_an_empty_stream(js, pool, query_cache):
    await fresh(js, pool)
    report = await replay.replay(js, pool, query_cache)
    assert (report.events, report.switched_at) == (0, 0)
    assert await state(pool) == {
        "assignments": [], "submissions": [], "progress": [], "runs": [], "parked": [],
        "checkpoints": (0, 0),
    }  # fmt: skip


async def test_the_projectors_rebuild_command_is_a_replay(js, pool, query_cache, service_env):
    from tests.integration.projector.test_process import PATIENCE_S, start

    await fresh(js, pool)
    sub = Submission(USERS[0], ASSIGNMENTS[0])
    await append(js, published(ASSIGNMENTS[0], 1), sub.created(), sub.graded("passed"))
    await runner.catch_up(js, pool, query_cache)
    incremental = await state(pool)
    async with pool.connection() as conn:
        await conn.execute("UPDATE submissions_v2 SET status = 'error'")
    process = await start(service_env, "rebuild")
    _, stderr = await asyncio.wait_for(process.communicate(), PATIENCE_S)
    assert process.returncode == 0, stderr.decode()
    assert b"rebuilt the read models, live from 3" in stderr
    assert await state(pool) == incremental
