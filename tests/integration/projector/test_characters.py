"""The read models keep any text, NUL included (docs/design.md, "Characters"), and a data
folder made before that (text columns) is rebuilt into the new tables on start."""

import uuid

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from common import readmodel
from events import CaseFeedback, Feedback, SubmissionGraded, codec
from services.projector import apply, runner, schema
from tests.integration.projector.history import Submission, append, dump, published, subject_of
from tests.integration.projector.test_redelivery import DB_EXAMPLES
from tests.odd_characters import ODD


async def project(pool, *events) -> None:
    messages = [(seq, subject_of(e), *codec.encode(e)) for seq, e in enumerate(events, start=1)]
    await schema.drop(pool)
    await schema.create(pool)
    await runner.handle_batch(pool, apply.decode(messages))


def graded_with(sub: Submission, text: str) -> SubmissionGraded:
    test = CaseFeedback(name=text, outcome="failed", expected=text, actual=text, output=text)
    feedback = Feedback(message=text, tests=[test], output=text)
    return msgspec.structs.replace(sub.graded("failed"), feedback=feedback)


@DB_EXAMPLES
@given(text=st.text())
async def test_any_text_is_stored_and_read_back_exactly(pool, text):
    sub = Submission(uuid.uuid4(), uuid.uuid4(), code=text + ODD)
    odd = text + ODD
    await project(pool, published(sub.assignment_id, 1, odd), sub.created(), graded_with(sub, odd))
    tables = await dump(pool)
    (row,) = tables["submissions"]
    assert row["code"] == text + ODD
    assert row["feedback"]["message"] == text + ODD
    (test,) = row["feedback"]["tests"]
    assert test["name"] == test["expected"] == test["output"] == text + ODD
    assert tables["assignments"][0]["title"] == text + ODD


async def test_a_folder_made_with_the_old_tables_comes_up_with_the_new_ones(js, pool, query_cache):
    sub = Submission(uuid.uuid4(), uuid.uuid4(), code="print('\\0')\0")
    seqs = await append(js, published(sub.assignment_id, 1), sub.created())
    async with pool.connection() as conn:  # as a folder made before v2 left it
        await conn.execute("DROP TABLE submissions_v2, assignments_v3, runs")
        await conn.execute("DELETE FROM projection_checkpoint")
        await conn.execute("CREATE TABLE submissions (submission_id uuid, code text)")
        await conn.execute("CREATE TABLE assignments (assignment_id uuid, title text)")
        await conn.execute(
            "INSERT INTO projection_checkpoint VALUES ('submissions', %s), ('assignments', %s)",
            (seqs[-1], seqs[-1]),
        )
    await schema.create(pool)
    async with pool.connection() as conn:
        rows = await (await conn.execute("SELECT * FROM projection_checkpoint")).fetchall()
        old = await (
            await conn.execute("SELECT to_regclass('submissions') a, to_regclass('assignments') b")
        ).fetchone()
    assert {r["projection"]: r["stream_seq"] for r in rows} == {
        "assignments_v3": 0,
        "submissions_v2": 0,
        "progress": 0,
        "runs": 0,
    }
    assert (old["a"], old["b"]) == (None, None)
    assert await runner.catch_up(js, pool, query_cache) == seqs[-1]
    tables = await dump(pool)
    assert [r["code"] for r in tables["submissions"]] == ["print('\\0')\0"]
    assert len(tables["assignments"]) == 1


async def test_a_folder_made_with_assignments_v2_comes_up_with_their_kinds(js, pool, query_cache):
    function = msgspec.structs.replace(published(uuid.uuid4(), 1), entry_point="add")
    program = msgspec.structs.replace(published(uuid.uuid4(), 2), test_style="stdio")
    seqs = await append(js, function, program)
    await runner.catch_up(js, pool, query_cache)
    async with pool.connection() as conn:  # as a folder made before v3 left it
        await conn.execute("DROP TABLE assignments_v3")
        await conn.execute("CREATE TABLE assignments_v2 (assignment_id uuid, title json)")
        await conn.execute(
            "UPDATE projection_checkpoint SET projection = 'assignments_v2' "
            "WHERE projection = 'assignments_v3'"
        )
    await schema.create(pool)
    async with pool.connection() as conn:
        rows = await (await conn.execute("SELECT * FROM projection_checkpoint")).fetchall()
        old = await (await conn.execute("SELECT to_regclass('assignments_v2') a")).fetchone()
    checkpoints = {r["projection"]: r["stream_seq"] for r in rows}
    assert checkpoints == {"assignments_v3": 0, "submissions_v2": seqs[-1], "progress": seqs[-1],
                           "runs": seqs[-1]}  # fmt: skip
    assert old["a"] is None
    assert await runner.catch_up(js, pool, query_cache) == seqs[-1]
    details = [readmodel.assignment_detail(row) for row in (await dump(pool))["assignments"]]
    kinds = {d["id"]: (d["kind"], d["entry_point"]) for d in details}
    assert kinds == {
        str(function.assignment_id): ("function", "add"),
        str(program.assignment_id): ("program", None),
    }


async def test_the_cache_keeps_any_text_and_still_compares_sequences(query_cache):
    """Values are JSON with \\u escapes (NUL, surrogate pairs); the Lua script's cjson reads
    the old value to compare sequences, so it must accept them all."""
    key = "query:submission:odd"
    assert await query_cache.put_if_newer(key, {"code": ODD}, 1)
    assert await query_cache.put_if_newer(key, {"code": ODD + "\U0001f600"}, 2)
    assert not await query_cache.put_if_newer(key, {"code": "older"}, 1)
    assert await query_cache.get(key) == {"code": ODD + "\U0001f600", "last_seq": 2}
