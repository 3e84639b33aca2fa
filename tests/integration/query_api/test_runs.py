"""GET /api/runs/{id}: a student reads their own run (Valkey, else Postgres), as the contract
shapes it; another student's run and an unknown id are the same 404; a bad id a 400."""

import json
import uuid

import msgspec
import pytest

from common import readmodel, written
from services.projector import runner
from services.query_api.settings import Settings
from tests.integration.projector.history import FAILED_RUN, Run, append, at
from tests.integration.query_api.test_freshness import projector_soon


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Patient: a loaded test machine must not turn a wait into a stale read."""
    return msgspec.structs.replace(settings, wait_max_s=10.0)


SHAPE = {
    "id", "assignment_id", "status", "stdout", "stderr", "value", "error", "limit", "time_ms",
    "created_at",
}  # fmt: skip


async def test_a_student_reads_their_run_as_it_goes(client, js, pool, query_cache, student):
    me, headers = student()
    run = Run(me, uuid.uuid4())
    await append(js, run.requested())
    await runner.catch_up(js, pool, query_cache)
    pending = await client.get(f"/api/runs/{run.run_id}", headers=headers)
    await append(js, run.started(), run.finished(output=FAILED_RUN))
    await runner.catch_up(js, pool, query_cache)

    finished = await client.get(f"/api/runs/{run.run_id}", headers=headers)

    assert pending.status_code == 200, pending.text
    assert set(pending.json()) == SHAPE
    assert pending.json()["status"] == "pending" and pending.json()["time_ms"] is None
    assert finished.json() == {
        "id": str(run.run_id),
        "assignment_id": str(run.assignment_id),
        "status": "finished",
        "stdout": "before\n",
        "stderr": "Traceback ...\n",
        "value": None,
        "error": msgspec.to_builtins(FAILED_RUN.error),
        "limit": None,
        "time_ms": 7,
        "created_at": at(0).isoformat().replace("+00:00", "Z"),
    }


async def test_another_students_run_and_an_unknown_one_are_the_same_404(
    client, js, pool, query_cache, student
):
    me, _ = student()
    _, someone_else = student()
    run = Run(me, uuid.uuid4())
    await append(js, run.requested(), run.finished())
    await runner.catch_up(js, pool, query_cache)

    theirs = await client.get(f"/api/runs/{run.run_id}", headers=someone_else)
    unknown = await client.get(f"/api/runs/{uuid.uuid4()}", headers=someone_else)

    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json() == {
        "error": "not_found", "detail": "You have no run with this id.",
    }  # fmt: skip


@pytest.mark.parametrize("bad", ["not-a-uuid", "1", "%20"])
async def test_a_bad_run_id_is_a_400(client, student, bad):
    _, headers = student()
    response = await client.get(f"/api/runs/{bad}", headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "bad_request" and "UUID" in response.json()["detail"]


async def test_without_a_session_a_run_is_a_401(client):
    response = await client.get(f"/api/runs/{uuid.uuid4()}")
    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


async def test_a_missing_key_is_read_from_postgres_and_filled(
    client, js, pool, query_cache, valkey, student
):
    me, headers = student()
    run = Run(me, uuid.uuid4())
    (_, seq) = await append(js, run.requested(), run.finished())
    await runner.catch_up(js, pool, query_cache)
    key = readmodel.run_key(run.run_id)
    await valkey.delete(key)

    response = await client.get(f"/api/runs/{run.run_id}", headers=headers)

    assert response.json()["value"] == "5"
    assert json.loads(await valkey.get(key))["last_seq"] == seq


async def test_a_cached_run_is_served_from_valkey(client, js, pool, query_cache, valkey, student):
    me, headers = student()
    run = Run(me, uuid.uuid4())
    await append(js, run.requested())
    await runner.catch_up(js, pool, query_cache)
    key = readmodel.run_key(run.run_id)
    await valkey.set(key, json.dumps({**json.loads(await valkey.get(key)), "stdout": "cached"}))

    response = await client.get(f"/api/runs/{run.run_id}", headers=headers)

    assert response.json()["stdout"] == "cached"


async def test_a_run_just_requested_is_read_after_the_projector_has_it(
    client, settings, js, pool, query_cache, valkey, student
):
    """The command API notes the write (common/written.py): the read waits, never a 404."""
    me, headers = student()
    run = Run(me, uuid.uuid4())
    (seq,) = await append(js, run.requested())
    await written.raise_to(valkey, me, seq)

    with projector_soon(settings):
        response = await client.get(f"/api/runs/{run.run_id}", headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "pending"
