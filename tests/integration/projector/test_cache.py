"""After commit the projector refreshes exactly the Valkey keys an event touched."""

import json
import uuid

from common import readmodel
from services.projector import mark, runner
from tests.integration.projector.history import Submission, append, published

SENTINEL = {"sentinel": True, "last_seq": 0}


async def keys_and_values(valkey) -> dict[str, dict]:
    keys = sorted(k.decode() for k in await valkey.keys("query:*"))
    return {key: json.loads(await valkey.get(key)) for key in keys}


async def plant_sentinels(valkey, keys) -> None:
    for key in keys:
        await valkey.set(key, json.dumps(SENTINEL))


async def test_a_grading_refreshes_its_submission_and_its_students_progress(
    js, pool, query_cache, valkey
):
    me, other, assignment = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    mine, theirs = Submission(me, assignment), Submission(other, assignment)
    await append(js, published(assignment, 1), mine.created(), theirs.created())
    await runner.catch_up(js, pool, query_cache)
    untouched = [
        f"query:submission:{theirs.submission_id}",
        f"query:progress:{other}",
        "query:assignments",
        readmodel.assignment_key(assignment),
    ]
    await plant_sentinels(valkey, untouched)
    await valkey.delete(f"query:submission:{mine.submission_id}")

    (seq,) = await append(js, mine.graded("passed"))
    await runner.catch_up(js, pool, query_cache)

    cached = await keys_and_values(valkey)
    assert {key: cached[key] for key in untouched} == dict.fromkeys(untouched, SENTINEL)
    assert set(cached) == {
        *untouched,
        f"query:submission:{mine.submission_id}",
        f"query:progress:{me}",
    }
    value = cached[f"query:submission:{mine.submission_id}"]
    assert (value["status"], value["user_id"], value["last_seq"]) == ("passed", str(me), seq)
    assert set(value) == {
        "id", "user_id", "assignment_id", "code", "status", "feedback", "created_at",
        "graded_at", "last_seq",
    }  # fmt: skip
    assert cached[f"query:progress:{me}"] == {
        "user_id": str(me), "completed": [str(assignment)], "last_seq": seq
    }  # fmt: skip
    assert int(await valkey.get(mark.KEY)) == seq


async def test_a_deletion_leaves_a_tombstone_for_that_submission_only(
    js, pool, query_cache, valkey
):
    student = uuid.uuid4()
    gone, kept = Submission(student, uuid.uuid4()), Submission(student, uuid.uuid4())
    await append(js, gone.created(), kept.created())
    await runner.catch_up(js, pool, query_cache)
    kept_key = f"query:submission:{kept.submission_id}"
    before = await valkey.get(kept_key)

    (seq,) = await append(js, gone.deleted())
    await runner.catch_up(js, pool, query_cache)

    cached = await keys_and_values(valkey)
    assert cached[f"query:submission:{gone.submission_id}"] == {"deleted": True, "last_seq": seq}
    assert await valkey.get(kept_key) == before
    assert set(cached) == {kept_key, f"query:submission:{gone.submission_id}"}


async def test_a_publication_refreshes_the_list_and_that_assignment_only(
    js, pool, query_cache, valkey
):
    first, second = uuid.uuid4(), uuid.uuid4()
    await append(js, published(first, 1), published(second, 2))
    await runner.catch_up(js, pool, query_cache)
    await plant_sentinels(valkey, [readmodel.assignment_key(second)])

    (seq,) = await append(js, published(first, 3, "Moved last", minute=5))
    await runner.catch_up(js, pool, query_cache)

    cached = await keys_and_values(valkey)
    assert cached[readmodel.assignment_key(second)] == SENTINEL
    assert cached[readmodel.assignment_key(first)]["title"] == "Moved last"
    assert cached["query:assignments"] == {
        "items": [
            {"id": str(second), "title": "Assignment 2", "position": 2},
            {"id": str(first), "title": "Moved last", "position": 3},
        ],
        "last_seq": seq,
    }


async def test_the_checkpoint_mark_only_moves_up(query_cache, valkey):
    assert await mark.raise_to(query_cache, 7)
    assert not await mark.raise_to(query_cache, 3)
    assert not await mark.raise_to(query_cache, 7)
    assert int(await valkey.get(mark.KEY)) == 7
    assert await valkey.ttl(mark.KEY) > 0


async def test_recover_refreshes_the_keys_of_the_last_committed_event(
    js, pool, query_cache, valkey
):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    data_seqs = await append(js, sub.created(), sub.graded("failed"))
    await runner.catch_up(js, pool, query_cache)
    key = f"query:submission:{sub.submission_id}"
    await valkey.delete(key, mark.KEY)  # as if the process died right after the commit

    await runner.recover(js, pool, query_cache)

    assert json.loads(await valkey.get(key))["status"] == "failed"
    assert int(await valkey.get(mark.KEY)) == data_seqs[-1]
