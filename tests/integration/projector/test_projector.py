"""The projector builds the read models from the stream and resumes after its checkpoint."""

import uuid

from services.projector import runner, schema
from tests.integration.projector.history import Submission, append, dump, published


async def submission_row(pool, submission: Submission) -> dict:
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT * FROM submissions_v2 WHERE submission_id = %s", (submission.submission_id,)
        )
        return await cur.fetchone()


async def test_the_projector_builds_every_read_model(js, pool, query_cache):
    student, first, second = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    graded = Submission(student, first)
    reused = Submission(student, second)
    await append(js, published(first, 1, "Hello"), published(second, 2))
    await append(js, graded.created(), graded.started(), graded.graded("passed"))
    seqs = await append(js, reused.created(minute=5, reused="failed"))

    assert await runner.catch_up(js, pool, query_cache) == seqs[-1]

    tables = await dump(pool)
    assert [(r["assignment_id"], r["title"]) for r in tables["assignments"]] == sorted(
        [(first, "Hello"), (second, "Assignment 2")]
    )
    assert "tests" not in tables["assignments"][0]
    row = await submission_row(pool, graded)
    assert (row["status"], row["attempt"], row["last_seq"]) == ("passed", 1, 5)
    assert row["feedback"]["message"] == "passed on attempt 1"
    row = await submission_row(pool, reused)
    assert (row["status"], row["feedback"]["message"]) == ("failed", "reused failed")
    assert row["graded_at"] == row["created_at"]
    assert [(r["user_id"], r["assignment_id"]) for r in tables["progress"]] == [(student, first)]
    assert await schema.checkpoints(pool) == (seqs[-1], seqs[-1])


async def test_statuses_follow_the_events_and_the_latest_attempt(js, pool, query_cache):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    steps = [
        (sub.created(), "pending"),
        (sub.started(), "grading"),
        (sub.regrade(attempt=2), "pending"),
        (sub.graded("passed", attempt=1), "pending"),  # an older attempt: ignored
        (sub.started(attempt=2), "grading"),
        (sub.graded("failed", attempt=2), "failed"),
    ]
    for event, status in steps:
        await append(js, event)
        await runner.catch_up(js, pool, query_cache)
        assert (await submission_row(pool, sub))["status"] == status
    await append(js, sub.deleted())
    await append(js, sub.regrade(attempt=3))  # nothing brings a deleted submission back
    await runner.catch_up(js, pool, query_cache)
    row = await submission_row(pool, sub)
    assert (row["deleted"], row["status"], row["attempt"]) == (True, "failed", 2)


async def test_a_pass_counts_once_and_keeps_its_first_time(js, pool, query_cache):
    student, assignment = uuid.uuid4(), uuid.uuid4()
    one, two = Submission(student, assignment), Submission(student, assignment)
    await append(js, one.created(0), one.graded("passed", minute=1))
    await append(js, two.created(5, reused="passed"), two.graded("passed", minute=6))
    await runner.catch_up(js, pool, query_cache)
    rows = (await dump(pool))["progress"]
    assert [(r["assignment_id"], r["passed_at"].minute, r["last_seq"]) for r in rows] == [
        (assignment, 1, 2)
    ]


async def test_replaying_from_sequence_zero_gives_the_same_read_model(js, pool, query_cache):
    student, a1, a2 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    subs = [Submission(student, a1), Submission(student, a2), Submission(uuid.uuid4(), a1)]
    await append(js, published(a1, 1), published(a2, 2), published(a1, 3, "Renamed", minute=9))
    for minute, sub in enumerate(subs):
        await append(js, sub.created(minute), sub.started(minute), sub.graded("passed", minute))
    await append(js, subs[0].regrade(), subs[1].deleted(), subs[0].started(attempt=2))
    await runner.catch_up(js, pool, query_cache)
    first = await dump(pool)

    await runner.rebuild(js, pool, query_cache)
    assert await dump(pool) == first

    async with pool.connection() as conn:  # a reset checkpoint alone cannot move rows back
        await conn.execute("UPDATE projection_checkpoint SET stream_seq = 0")
    await runner.catch_up(js, pool, query_cache)
    assert await dump(pool) == first
    assert (
        first["assignments"][0]["title"] == "Renamed"
        or first["assignments"][1]["title"] == "Renamed"
    )


async def test_the_projector_resumes_after_its_checkpoint(js, pool, query_cache):
    first, second = uuid.uuid4(), uuid.uuid4()
    await append(js, published(first, 1))
    await runner.catch_up(js, pool, query_cache)
    async with pool.connection() as conn:  # were seq 1 applied again, this row would return
        await conn.execute("DELETE FROM assignments_v3")
    await append(js, published(second, 2))
    assert await runner.catch_up(js, pool, query_cache) == 2
    assert [r["assignment_id"] for r in (await dump(pool))["assignments"]] == [second]


async def test_a_new_projection_catches_up_while_the_others_skip(js, pool, query_cache):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    await append(js, sub.created(), sub.graded("passed"))
    await runner.catch_up(js, pool, query_cache)
    async with pool.connection() as conn:
        await conn.execute("DELETE FROM progress")
        await conn.execute(
            "UPDATE projection_checkpoint SET stream_seq = 0 WHERE projection = 'progress'"
        )
        await conn.execute("""UPDATE submissions_v2 SET code = '"untouched"'""")
    await runner.catch_up(js, pool, query_cache)
    tables = await dump(pool)
    assert len(tables["progress"]) == 1
    assert tables["submissions"][0]["code"] == "untouched"


async def test_the_first_pass_in_the_stream_stays_whatever_order_it_is_applied_in(pool):
    from services.projector.projections import progress

    student, assignment = uuid.uuid4(), uuid.uuid4()
    early, late = Submission(student, assignment), Submission(student, assignment)
    async with pool.connection() as conn:
        await progress.apply(conn, late.graded("passed", minute=9), 20)  # a reapply comes late
        await progress.apply(conn, early.graded("passed", minute=2), 10)
        await progress.apply(conn, late.graded("passed", minute=9), 20)
    (row,) = (await dump(pool))["progress"]
    assert row["last_seq"] == 10 and row["passed_at"].minute == 2
