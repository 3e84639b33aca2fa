"""common.systemstate.gather against the real NATS, PostgreSQL and (for the mark) Valkey."""

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from common import db, setaside, systemstate
from common import nats as gnats
from events import SubmissionGraded, subjects
from services.grader import heartbeat, worker
from services.grader import settings as grader_settings
from services.projector import schema
from tests.integration.grader.helpers import created, humaneval, published, subject_of
from tests.integration.projector.history import Run


@pytest.fixture
async def pool(database_url):
    opened = await db.open_pool(database_url, max_size=2)
    await schema.create(opened)
    yield opened
    await opened.close()


@pytest.fixture
async def clean(js):
    """No dead letters or grader heartbeats left by other tests."""
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.DEAD_LETTER_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_key_value(systemstate.GRADERS_BUCKET)
    await gnats.ensure_streams(js)
    return js


async def submit(js, graded: bool = False) -> int:
    job = created(published(humaneval(0)), "pass\n")
    seq = await gnats.append(js, subject_of(job), job, msg_id=f"t:{job.submission_id}")
    if graded:
        event = SubmissionGraded(
            occurred_at=datetime.now(UTC),
            submission_id=job.submission_id,
            user_id=job.user_id,
            assignment_id=job.assignment_id,
            attempt=1,
            status="passed",
            feedback=None,
        )
        seq = await gnats.append(js, subject_of(job), event, msg_id=f"g:{job.submission_id}")
    return seq


async def test_a_quiet_system_needs_nobody(clean, pool, valkey) -> None:
    state = await systemstate.gather(clean, pool, valkey)
    assert state.problems == []
    assert {s.name for s in state.streams} >= {"EVENTS", "GRADING_DEAD", "SET_ASIDE"}
    assert [p.lag_events for p in state.projections] == [0] * len(schema.names())
    assert state.cache_checkpoint == 0
    assert state.graded_last_minute == 0


async def test_lag_counts_the_events_the_projections_have_not_applied(clean, pool) -> None:
    last = 0
    for _ in range(3):
        last = await submit(clean, graded=True)
    state = await systemstate.gather(clean, pool)
    assert {p.projection: p.lag_events for p in state.projections} == {
        name: last for name in schema.names()
    }
    assert all(p.lag_s >= 0 for p in state.projections)
    assert state.graded_last_minute == 3


async def test_waiting_jobs_without_a_grader_need_a_person(clean, pool) -> None:
    await worker.ensure_consumer(clean, grader_settings.Settings(grader_id="g"))
    await submit(clean)
    state = await systemstate.gather(clean, pool)
    assert state.jobs_waiting == 1
    assert any("no grader is alive" in p for p in state.problems)


async def test_a_beating_grader_is_alive_with_its_slots(clean, pool) -> None:
    task = heartbeat.start(clean, "host.one-7", 4, lambda: 1)
    try:
        for _ in range(100):
            state = await systemstate.gather(clean, pool)
            if state.graders:
                break
            await asyncio.sleep(0.05)
        assert [(g.grader_id, g.slots, g.busy) for g in state.graders] == [("host.one-7", 4, 1)]
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert (await systemstate.gather(clean, pool)).graders == []


async def test_dead_letters_and_set_aside_events_need_a_person(clean, pool) -> None:
    seq = await submit(clean)
    await setaside.record(clean, "projector", seq, "it is malformed")
    await clean.publish("grading.dead.u.s", b"{}", stream=subjects.DEAD_LETTER_STREAM)
    state = await systemstate.gather(clean, pool)
    assert (state.dead_letters, state.set_aside) == (1, 1)
    assert len(state.problems) == 2


async def test_a_window_busier_than_the_scan_limit_is_scaled_from_its_newest_events(clean) -> None:
    for _ in range(6):
        await submit(clean, graded=True)  # 12 submission events, every other one a Graded
    since = datetime.now(UTC) - timedelta(seconds=systemstate.RATE_WINDOW_S)
    assert await systemstate.graded_since(clean, since) == (6, False)
    assert await systemstate.graded_since(clean, since, most=4) == (6, True)
    assert await systemstate.graded_since(clean, datetime.now(UTC) + timedelta(minutes=1)) == (
        0,
        False,
    )


async def test_finished_runs_are_not_counted_as_graded_submissions(clean, pool) -> None:
    await submit(clean, graded=True)
    run = Run(uuid4(), uuid4())
    for event in (run.requested(), run.started(), run.finished()):
        await gnats.append(clean, subjects.run(run.user_id, run.run_id), event, msg_id=f"{uuid4()}")
    state = await systemstate.gather(clean, pool)
    assert (state.graded_last_minute, state.graded_estimated) == (1, False)
    assert (state.set_aside, state.problems) == (0, [])
