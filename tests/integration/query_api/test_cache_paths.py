"""Valkey first; on a miss Postgres, which fills the key with put_if_newer."""

import json
import uuid

from common import readmodel
from services.projector import runner
from tests.integration.projector.history import Submission, append, published


async def test_a_cached_submission_is_served_from_valkey(
    client, js, pool, query_cache, valkey, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    key = f"query:submission:{sub.submission_id}"
    cached = json.loads(await valkey.get(key))
    await valkey.set(key, json.dumps({**cached, "code": "marked-in-cache"}))

    response = await client.get(f"/api/submissions/{sub.submission_id}", headers=headers)

    assert response.json()["code"] == "marked-in-cache"


async def test_a_missing_key_falls_back_to_postgres_and_is_filled(
    client, js, pool, query_cache, valkey, student
):
    me, headers = student()
    assignment = uuid.uuid4()
    sub = Submission(me, assignment)
    await append(js, published(assignment, 1), sub.created(), sub.graded("passed"))
    await runner.catch_up(js, pool, query_cache)
    paths = [
        f"/api/submissions/{sub.submission_id}",
        "/api/progress",
        "/api/assignments",
        f"/api/assignments/{assignment}",
    ]
    keys = [
        f"query:submission:{sub.submission_id}",
        f"query:progress:{me}",
        "query:assignments",
        readmodel.assignment_key(assignment),
    ]
    from_cache = [(await client.get(path, headers=headers)).json() for path in paths]
    projected = [json.loads(await valkey.get(key)) for key in keys]

    await valkey.delete(*keys)
    from_postgres = [(await client.get(path, headers=headers)).json() for path in paths]

    assert from_postgres == from_cache
    assert [json.loads(await valkey.get(key)) for key in keys] == projected


async def test_a_filled_key_gives_way_to_the_projectors_next_refresh(
    client, js, pool, query_cache, valkey, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    key = f"query:submission:{sub.submission_id}"
    path = f"/api/submissions/{sub.submission_id}"
    await valkey.delete(key)
    assert (await client.get(path, headers=headers)).json()["status"] == "pending"
    filled = json.loads(await valkey.get(key))

    (seq,) = await append(js, sub.graded("error"))
    await runner.catch_up(js, pool, query_cache)

    assert (filled["status"], filled["last_seq"]) == ("pending", 1)
    assert (await client.get(path, headers=headers)).json()["status"] == "error"
    assert json.loads(await valkey.get(key))["last_seq"] == seq


async def test_a_tombstone_hides_a_submission_even_if_postgres_lags(
    client, js, pool, query_cache, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    await query_cache.tombstone(f"query:submission:{sub.submission_id}", 50)

    response = await client.get(f"/api/submissions/{sub.submission_id}", headers=headers)

    assert response.status_code == 404
