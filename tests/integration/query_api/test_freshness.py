"""Read-your-write: `after_seq`, the `grindstone_seq` cookie or the student's write noted by the
command API (any client) waits for the projector."""

import asyncio
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from common import cache, db, written
from common import nats as gnats
from services.projector import mark, runner
from services.query_api.app import create_app
from services.query_api.settings import Settings
from tests.integration.projector.history import Submission, append

READER_LOG = "services.query_api.reader"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Patient: a loaded test machine must not turn a wait into a stale read."""
    return msgspec.structs.replace(settings, wait_max_s=10.0)


async def _project_soon(settings) -> None:
    await asyncio.sleep(0.3)  # the read arrives first and has to wait for this
    nc = await gnats.connect(settings.nats_url, "tests-projector")
    pool = await db.open_pool(settings.database_url, max_size=1)
    client = cache.connect(settings.valkey_url)
    try:
        await runner.catch_up(nc.jetstream(), pool, cache.Cache(client))
    finally:
        await nc.close()
        await pool.close()
        await client.aclose()


@contextmanager
def projector_soon(settings) -> Iterator[None]:
    """The projector catches up in its own thread and loop: the test client blocks this one."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_project_soon(settings))
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if failures:
        raise failures[0]


async def test_after_seq_waits_for_the_projector_and_returns_the_fresh_row(
    client, settings, js, pool, query_cache, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    (seq,) = await append(js, sub.graded("passed"))
    path = f"/api/submissions/{sub.submission_id}"
    stale = (await client.get(path, headers=headers)).json()

    with projector_soon(settings):
        fresh = await client.get(path, headers=headers, params={"after_seq": seq})

    assert stale["status"] == "pending"
    assert (fresh.json()["status"], fresh.json()["last_seq"]) == ("passed", seq)


async def test_the_seq_cookie_makes_the_list_and_progress_wait(
    client, settings, js, pool, query_cache, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    (seq,) = await append(js, sub.created(reused="passed"))
    client.cookies.set("grindstone_seq", str(seq))

    with projector_soon(settings):
        listed = (await client.get("/api/submissions", headers=headers)).json()
    progress = (await client.get("/api/progress", headers=headers)).json()

    assert [item["id"] for item in listed["items"]] == [str(sub.submission_id)]
    assert progress["points"] == 100


async def test_a_bearer_client_waits_for_its_noted_write_without_cookie_or_after_seq(
    client, settings, js, pool, query_cache, valkey, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    (seq,) = await append(js, sub.deleted())
    await written.raise_to(valkey, me, seq)  # as the command API does after its append
    path = f"/api/submissions/{sub.submission_id}"

    with projector_soon(settings):
        gone = await client.get(path, headers=headers)
    listed = (await client.get("/api/submissions", headers=headers)).json()

    assert gone.status_code == 404
    assert listed["items"] == []
    assert await valkey.ttl(written.key(me)) > 0


async def test_a_noted_write_is_only_raised(valkey):
    me = uuid.uuid4()
    await written.raise_to(valkey, me, 7)
    await written.raise_to(valkey, me, 5)  # a slower request's older write
    assert await valkey.get(written.key(me)) in (b"7", "7")


async def test_a_new_submission_appears_once_the_projector_reaches_it(
    client, settings, js, pool, query_cache, student
):
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    (seq,) = await append(js, sub.created())
    path = f"/api/submissions/{sub.submission_id}"
    assert (await client.get(path, headers=headers)).status_code == 404

    with projector_soon(settings):
        fresh = await client.get(path, headers=headers, params={"after_seq": str(seq)})

    assert fresh.status_code == 200


async def test_the_postgres_checkpoint_answers_when_the_valkey_mark_is_gone(
    client, js, pool, query_cache, valkey, student, caplog
):
    caplog.set_level(logging.INFO, logger=READER_LOG)
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    (seq,) = await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    await valkey.delete(mark.KEY, f"query:submission:{sub.submission_id}")

    response = await client.get("/api/submissions", headers=headers, params={"after_seq": seq})

    assert [item["id"] for item in response.json()["items"]] == [str(sub.submission_id)]
    assert "went ahead" not in caplog.text  # were Postgres not asked, the wait would time out


async def test_a_cached_submission_already_at_after_seq_needs_no_wait(
    settings, js, pool, query_cache, valkey, student, caplog
):
    caplog.set_level(logging.INFO, logger=READER_LOG)
    me, headers = student()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    await valkey.set(mark.KEY, 0)  # the projector seems far behind
    key = f"query:submission:{sub.submission_id}"
    await query_cache.put_if_newer(key, {**await query_cache.get(key), "code": "cached"}, 40)

    hasty = create_app(msgspec.structs.replace(settings, wait_max_s=0.2))
    async with AsyncTestClient(hasty) as client:
        path = f"/api/submissions/{sub.submission_id}"
        response = await client.get(path, headers=headers, params={"after_seq": 40})
        assert response.json()["code"] == "cached"
        assert "went ahead" not in caplog.text
        late = await client.get("/api/submissions", headers=headers, params={"after_seq": 40})
    assert late.status_code == 200
    assert "went ahead" in caplog.text  # the list had to wait, and gave up after wait_max_s
