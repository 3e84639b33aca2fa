"""The projector never stops on an event it cannot read or apply: it sets it aside, holds the
later events of that subject behind it, goes on with everything else, and applies them all once
the code (or the store) is fixed."""

import uuid

import pytest

from common import setaside
from events import codec
from services.projector import reapply, runner, schema
from services.projector.projections import submissions
from tests.integration.projector.history import Submission, append, dump, published, subject_of


async def parked(pool) -> dict[str, int]:
    async with pool.connection() as conn:
        rows = await (await conn.execute("SELECT * FROM projector_parked")).fetchall()
    return {row["subject"]: row["since_seq"] for row in rows}


async def test_unreadable_events_are_set_aside_and_the_rest_applied(js, pool, query_cache):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    other = Submission(uuid.uuid4(), uuid.uuid4())
    await append(js, sub.created())
    _, headers = codec.encode(sub.started())
    graded_headers = codec.encode(sub.graded("passed"))[1]
    bad = [
        (subject_of(sub.created()), b'{"garbage": tru', headers),
        ("events.other.x", b"{}", {codec.TYPE_HEADER: "SomethingNew"}),
        ("events.other.y", b"no headers at all", None),
        (subject_of(other.created()), b'{"attempt": 1}', headers),  # fields missing
        (subject_of(other.created()), b"{}", {**graded_headers, codec.VERSION_HEADER: "9"}),
    ]
    for subject, data, hdrs in bad:
        await js.publish(subject, data, headers=hdrs)
    seqs = await append(js, other.created(), sub.started())
    assert await runner.catch_up(js, pool, query_cache) == seqs[-1]
    assert await runner.catch_up(js, pool, query_cache) == seqs[-1]  # again: recorded once

    records = await setaside.records(js, "projector")
    held = {seqs[0]: "held behind event 5", seqs[1]: "held behind event 2"}
    assert await parked(pool) == {
        subject_of(sub.created()): 2,
        "events.other.x": 3,
        "events.other.y": 4,
        subject_of(other.created()): 5,
    }
    assert [r.seq for r in records] == [2, 3, 4, 5, 6, *held]
    reasons = {r.seq: r.reason for r in records}
    assert "v1 is malformed: Input data was truncated" in reasons[2]
    assert "unknown event type 'SomethingNew'" in reasons[3]
    assert "no Event-Type header" in reasons[4]
    assert "missing required field" in reasons[5]
    assert "v9 is newer than this code" in reasons[6]
    for seq, why in held.items():
        assert why in reasons[seq]
    assert {r.subject for r in records if r.seq == 2} == {subject_of(sub.created())}
    assert await schema.checkpoints(pool) == (seqs[-1], seqs[-1])
    rows = (await dump(pool))["submissions"]
    assert [row["status"] for row in rows] == ["pending"]  # sub's Created came before it all


async def test_a_value_the_store_refuses_is_set_aside_and_applied_once_fixed(js, pool, query_cache):
    sub, bystander = Submission(uuid.uuid4(), uuid.uuid4()), Submission(uuid.uuid4(), uuid.uuid4())
    huge = 2**40  # the read model's attempt column is a 32-bit integer
    seqs = await append(
        js,
        sub.created(),
        sub.started(attempt=huge),
        bystander.created(),
        sub.graded("passed", attempt=huge),
        bystander.started(),
    )
    await runner.catch_up(js, pool, query_cache)
    records = await setaside.records(js, "projector")
    assert [r.seq for r in records] == [seqs[1], seqs[3]]
    assert "PostgreSQL refused it: NumericValueOutOfRange" in records[0].reason
    assert await parked(pool) == {subject_of(sub.created()): seqs[1]}
    by_id = {row["submission_id"]: row for row in (await dump(pool))["submissions"]}
    assert by_id[sub.submission_id]["status"] == "pending"
    assert by_id[bystander.submission_id]["status"] == "grading"  # others go on

    assert await reapply.set_aside_events(js, pool, query_cache) == 0  # not fixed yet
    assert len(await setaside.records(js, "projector")) == 2

    async with pool.connection() as conn:  # the fix: a wider column
        await conn.execute(f"ALTER TABLE {submissions.NAME} ALTER attempt TYPE bigint")
    assert await reapply.set_aside_events(js, pool, query_cache) == 1
    assert await setaside.records(js, "projector") == []
    assert await parked(pool) == {}
    fixed = await dump(pool)
    row = {r["submission_id"]: r for r in fixed["submissions"]}[sub.submission_id]
    assert (row["status"], row["attempt"], row["last_seq"]) == ("passed", huge, seqs[3])
    assert [(p["user_id"], p["last_seq"]) for p in fixed["progress"]] == [(sub.user_id, seqs[3])]
    await runner.catch_up(js, pool, query_cache)
    assert await dump(pool) == fixed  # and the consumer takes them as done


async def test_an_assignment_is_not_held_by_a_submission_set_aside(js, pool, query_cache):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    _, headers = codec.encode(sub.created())
    await js.publish(subject_of(sub.created()), b"[1, 2", headers=headers)
    (seq,) = await append(js, published(uuid.uuid4(), 1, "Still here"))
    assert await runner.catch_up(js, pool, query_cache) == seq
    assert [a["title"] for a in (await dump(pool))["assignments"]] == ["Still here"]


async def test_an_unreadable_event_as_large_as_the_server_allows_is_set_aside(
    nc, js, pool, query_cache
):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    _, headers = codec.encode(sub.created())
    huge = b"[" * (nc.max_payload - 200)  # its record, with its headers, would not fit
    bad = (await js.publish(subject_of(sub.created()), huge, headers=headers)).seq
    (seq,) = await append(js, published(uuid.uuid4(), 1, "After it"))
    assert await runner.catch_up(js, pool, query_cache) == seq
    assert [r.seq for r in await setaside.records(js, "projector")] == [bad]
    assert [a["title"] for a in (await dump(pool))["assignments"]] == ["After it"]
    assert nc.is_connected


@pytest.mark.parametrize("odd", ["\x00", "\\", "\x1b", "\u00e9"])
async def test_an_event_on_a_subject_with_odd_characters_is_set_aside_and_reapplied(
    js, pool, query_cache, odd
):
    subject = f"events.submission.{odd}.{uuid.uuid4()}"
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    events = [sub.created(), sub.started(attempt=2**40)]  # the attempt: a value refused
    encoded = [codec.encode(e) for e in events]
    seqs = [(await js.publish(subject, data, headers=hdrs)).seq for data, hdrs in encoded]
    (seq,) = await append(js, published(uuid.uuid4(), 1, "After them"))
    assert await runner.catch_up(js, pool, query_cache) == seq
    records = await setaside.records(js, "projector")
    assert [(r.seq, r.subject) for r in records] == [(seqs[1], subject)]
    assert await reapply.set_aside_events(js, pool, query_cache) == 0  # not fixed yet

    async with pool.connection() as conn:
        await conn.execute(f"ALTER TABLE {submissions.NAME} ALTER attempt TYPE bigint")
    assert await reapply.set_aside_events(js, pool, query_cache) == 1
    assert await setaside.records(js, "projector") == []
    assert await parked(pool) == {}
    (row,) = (await dump(pool))["submissions"]
    assert (row["status"], row["last_seq"]) == ("grading", seqs[1])


async def test_reapply_applies_up_to_the_checkpoint_and_leaves_the_rest_to_the_consumer(
    js, pool, query_cache
):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    huge = 2**40
    seqs = await append(js, sub.created(), sub.started(attempt=huge))
    await runner.catch_up(js, pool, query_cache)
    later = await append(js, sub.graded("failed", attempt=huge))  # not consumed yet
    async with pool.connection() as conn:
        await conn.execute(f"ALTER TABLE {submissions.NAME} ALTER attempt TYPE bigint")
    assert await reapply.set_aside_events(js, pool, query_cache) == 1
    row = (await dump(pool))["submissions"][0]
    assert (row["status"], row["last_seq"]) == ("grading", seqs[1])
    assert await runner.catch_up(js, pool, query_cache) == later[0]
    row = (await dump(pool))["submissions"][0]
    assert (row["status"], row["last_seq"]) == ("failed", later[0])
    assert await setaside.records(js, "projector") == []


async def test_records_left_by_a_reapply_that_stopped_before_forgetting_them_go(
    js, pool, query_cache
):
    (seq,) = await append(js, published(uuid.uuid4(), 1))
    await runner.catch_up(js, pool, query_cache)
    await setaside.record(js, "projector", seq, "applied since, but not yet forgotten")
    assert await reapply.set_aside_events(js, pool, query_cache) == 0
    assert await setaside.records(js, "projector") == []
