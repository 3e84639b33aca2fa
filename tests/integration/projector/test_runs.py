"""The `runs` read model and its Valkey keys: events appended by hand become rows and cached
values, redelivery and replay change nothing, a run never moves back, and a run is never a
submission (no other read model sees it, nothing is set aside)."""

import json
import uuid
from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from common import cache, readmodel, setaside
from events import Event, RunOutput, codec, runfold, subjects
from services.projector import apply, replay, runner, schema
from services.projector.projections import runs
from tests.integration.projector.history import (
    FAILED_RUN,
    Run,
    Submission,
    append,
    at,
    dump,
    published,
)
from tests.integration.projector.test_redelivery import DB_EXAMPLES, MINUTES, project
from tests.odd_characters import ODD

USER, ASSIGNMENT = uuid.UUID(int=1), uuid.UUID(int=10)
RUNS = [Run(USER, ASSIGNMENT), Run(uuid.UUID(int=2), ASSIGNMENT)]
OUTPUTS = st.sampled_from([None, FAILED_RUN, RunOutput(limit="wall", time_ms=5000)])


def run_events(run: Run) -> st.SearchStrategy[Event]:
    return st.one_of(
        st.builds(run.requested, MINUTES, st.sampled_from([None, "add(2, 3)"])),
        st.builds(run.started, MINUTES),
        st.builds(run.finished, MINUTES, OUTPUTS),
    )


# any order of anything: requests anywhere (or never), starts after finishes, repeats
histories = st.lists(st.one_of(*(run_events(r) for r in RUNS)), max_size=20)


async def cached_run(valkey, run: Run) -> dict[str, Any] | None:
    raw = await valkey.get(readmodel.run_key(run.run_id))
    return None if raw is None else json.loads(raw)


async def test_each_event_moves_the_row_and_its_cached_value(js, pool, query_cache, valkey):
    run = Run(USER, ASSIGNMENT)
    (requested,) = await append(js, run.requested())
    await runner.catch_up(js, pool, query_cache)
    (row,) = (await dump(pool))["runs"]
    assert (row["run_id"], row["user_id"], row["status"]) == (run.run_id, USER, "pending")
    assert (row["stdout"], row["created_at"], row["last_seq"]) == (None, at(0), requested)
    pending = await cached_run(valkey, run)
    assert pending is not None and (pending["status"], pending["last_seq"]) == ("pending", 1)

    await append(js, run.started())
    await runner.catch_up(js, pool, query_cache)
    assert (await cached_run(valkey, run))["status"] == "running"  # type: ignore[index]

    (done,) = await append(js, run.finished(output=FAILED_RUN))
    await runner.catch_up(js, pool, query_cache)

    (row,) = (await dump(pool))["runs"]
    assert (row["status"], row["stdout"], row["stderr"]) == (
        "finished",
        "before\n",
        "Traceback ...\n",
    )
    assert row["error"] == msgspec.to_builtins(FAILED_RUN.error)
    assert (row["value"], row["limit_hit"], row["time_ms"], row["last_seq"]) == (
        None,
        None,
        7,
        done,
    )
    assert await cached_run(valkey, run) == {**readmodel.run(row), "last_seq": done}
    assert 0 < await valkey.ttl(readmodel.run_key(run.run_id)) <= cache.TTL_S  # an hour


async def test_a_start_after_the_finish_never_moves_a_run_back(js, pool, query_cache, valkey):
    run = Run(USER, ASSIGNMENT)
    seqs = await append(js, run.requested(), run.finished(), run.started(3), run.finished(4))
    await runner.catch_up(js, pool, query_cache)
    (row,) = (await dump(pool))["runs"]
    assert (row["status"], row["value"], row["last_seq"]) == ("finished", "5", seqs[1])
    assert (await cached_run(valkey, run))["last_seq"] == seqs[1]  # type: ignore[index]


async def test_runs_are_no_submissions_and_nothing_of_them_is_set_aside(js, pool, query_cache):
    run, sub = Run(USER, ASSIGNMENT), Submission(USER, ASSIGNMENT)
    await append(js, published(ASSIGNMENT, 1), run.requested(), run.started(), run.finished())
    await append(js, sub.created(), sub.graded("passed"))
    await runner.catch_up(js, pool, query_cache)
    tables = await dump(pool)
    assert [r["run_id"] for r in tables["runs"]] == [run.run_id]
    assert [r["submission_id"] for r in tables["submissions"]] == [sub.submission_id]
    assert len(tables["progress"]) == 1  # the submission's pass; no run counts
    assert await setaside.records(js, runner.CONSUMER) == []


async def test_a_rebuild_and_a_replay_give_the_same_rows(js, pool, query_cache, valkey):
    first, second = Run(USER, ASSIGNMENT), Run(uuid.UUID(int=2), ASSIGNMENT)
    await append(js, first.requested(), second.requested(), first.started(), first.finished())
    await append(js, second.finished(output=FAILED_RUN), first.started(9))
    await runner.catch_up(js, pool, query_cache)
    incremental = (await dump(pool))["runs"]

    report = await replay.replay(js, pool, query_cache, ["runs"])
    assert report.projections == ["runs"] and report.events == 6
    assert (await dump(pool))["runs"] == incremental
    assert await cached_run(valkey, first) is None  # cleared: readers fill it from the new table

    await runner.rebuild(js, pool, query_cache)
    assert (await dump(pool))["runs"] == incremental
    assert [r["status"] for r in incremental] == ["finished", "finished"]


async def test_redelivered_run_events_change_nothing(pool):
    run = Run(USER, ASSIGNMENT)
    history = [run.requested(), run.started(), run.finished()]
    messages = [(seq, *codec.encode(e)) for seq, e in enumerate(history, start=1)]
    clean = await project(pool, messages)
    noisy = [messages[0], messages[0], messages[1], messages[0], messages[2], messages[1]]
    assert await project(pool, noisy) == clean
    assert clean["runs"][0]["status"] == "finished"


def folded_rows(history: list[Event]) -> list[dict[str, Any]]:
    """The rows events/runfold.py gives, each run's events folded on their own."""
    numbered = list(enumerate(history, start=1))
    rows = []
    for run in RUNS:
        state = runfold.fold((seq, e) for seq, e in numbered if e.run_id == run.run_id)  # type: ignore[attr-defined]
        if state is not None:
            out = msgspec.to_builtins(state.output) if state.output else {}
            rows.append({
                "run_id": state.run_id, "user_id": state.user_id,
                "assignment_id": state.assignment_id, "status": state.status,
                "stdout": out.get("stdout"), "stderr": out.get("stderr"), "value": out.get("value"),
                "error": out.get("error"), "limit_hit": out.get("limit"),
                "time_ms": out.get("time_ms"), "created_at": state.created_at,
                "last_seq": state.last_seq,
            })  # fmt: skip
    return sorted(rows, key=lambda r: str(r["run_id"]))


@DB_EXAMPLES
@given(history=histories)
async def test_the_sql_projection_is_the_fold_and_the_replays_rows(pool, history):
    await schema.drop(pool)
    await schema.create(pool)
    messages = [(seq, "events.run.u.r", *codec.encode(e)) for seq, e in enumerate(history, 1)]
    if messages:
        await runner.handle_batch(pool, apply.decode(messages))
    rows = sorted((await dump(pool))["runs"], key=lambda r: str(r["run_id"]))
    assert rows == folded_rows(history)
    rebuilt = runs.Rebuilt()
    for seq, event in enumerate(history, start=1):
        rebuilt.add(event, seq)
    assert sorted(r[0] for r in rebuilt.rows()) == [r["run_id"] for r in rows]


@DB_EXAMPLES
@given(text=st.text())
async def test_any_output_text_is_stored_and_read_back_exactly(pool, text):
    run = Run(USER, ASSIGNMENT)
    odd = text + ODD
    output = RunOutput(stdout=odd, stderr=odd, value=odd, limit=odd, time_ms=1)
    history = [run.requested(), run.finished(output=output)]
    messages = [(seq, *codec.encode(e)) for seq, e in enumerate(history, start=1)]
    (row,) = (await project(pool, messages))["runs"]
    assert row["stdout"] == row["stderr"] == row["value"] == row["limit_hit"] == odd


def test_a_run_subject_is_its_students():
    run = Run(USER, ASSIGNMENT)
    assert subjects.ids_of(subjects.run(USER, run.run_id)) == (str(USER), str(run.run_id))
