"""A replay while students keep submitting and reading through the query API: every answer
during the switch is complete, and no event the students wrote is lost."""

import asyncio
import time
import uuid

import pytest
from nats.js import JetStreamContext

from events import subjects
from services.command_api.app import create_app as command_app
from services.command_api.settings import Settings as CommandSettings
from services.projector import replay, runner
from services.query_api.app import create_app as query_app
from services.query_api.settings import Settings as QuerySettings
from tests.conftest import SECRET
from tests.integration.command_api.helpers import in_this_loop, student
from tests.integration.projector.history import Submission, append, published

SEEDED = 120  # students with a graded submission before the replay
READERS = 3
LATE = 30  # submissions appended between the bulk read and the catch-up


@pytest.mark.parametrize("close_enough", [replay.CLOSE_ENOUGH, 0])
async def test_replay_while_students_submit_and_read(
    js: JetStreamContext, pool, query_cache, servers, database_url, monkeypatch, close_enough
):
    """With CLOSE_ENOUGH 0 the new tables also catch up outside the lock, chasing the writes."""
    monkeypatch.setattr(replay, "CLOSE_ENOUGH", close_enough)
    caught_up: list[int] = []  # events the new tables took outside the lock
    catch_up = replay._catch_up

    async def counted(*args, **kwargs):
        caught_up.append(await catch_up(*args, **kwargs))
        return caught_up[-1]

    monkeypatch.setattr(replay, "_catch_up", counted)
    late: list[Submission] = []  # written once the bulk is read, projected by the live projector
    build = replay._build

    async def then_more(*args, **kwargs):
        read = await build(*args, **kwargs)
        for _ in range(LATE):
            late.append(Submission(uuid.uuid4(), assignment_id))
            await append(js, late[-1].created())
        last = (await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq
        await asyncio.wait_for(_until_projected(pool, last), 30)
        return read

    monkeypatch.setattr(replay, "_build", then_more)
    assignment_id = uuid.uuid4()
    await append(js, published(assignment_id, 1))
    seeded = []
    for _ in range(SEEDED):
        user_id, headers = student()
        sub = Submission(user_id, assignment_id)
        await append(js, sub.created(), sub.started(), sub.graded("passed"))
        seeded.append((sub.submission_id, headers))
    await runner.catch_up(js, pool, query_cache)
    projecting = asyncio.create_task(runner.consume(js, pool, query_cache, idle_poll_s=0.05))

    urls = {"nats_url": servers.nats_url, "valkey_url": servers.valkey_url, "secret": SECRET}
    reads = {"during": 0, "bad": []}
    written: list[str] = []
    replaying = asyncio.Event()
    done = asyncio.Event()

    async def reader(query, offset: int) -> None:
        n = offset
        while not done.is_set():
            submission_id, headers = seeded[n % SEEDED]
            n += 1
            one = await query.get(f"/api/submissions/{submission_id}", headers=headers)
            page = await query.get("/api/submissions", headers=headers)
            progress = await query.get("/api/progress", headers=headers)
            answers = (one.status_code, page.status_code, progress.status_code)
            complete = (
                answers == (200, 200, 200)
                and one.json()["status"] == "passed"
                and [item["id"] for item in page.json()["items"]] == [str(submission_id)]
                and progress.json()["completed"] == [str(assignment_id)]
            )
            if not complete:
                reads["bad"].append((answers, one.text, page.text, progress.text))
            if replaying.is_set():
                reads["during"] += 1

    async def writer(command, query) -> None:
        while not done.is_set():
            _, headers = student()
            body = {"assignment_id": str(assignment_id), "code": f"x = {len(written)}\n"}
            made = await command.post("/api/submissions", json=body, headers=headers)
            if made.status_code != 202:
                reads["bad"].append(("submit", made.status_code, made.text))
                continue
            sid, seq = made.json()["id"], made.json()["stream_seq"]
            written.append(sid)
            back = await query.get(f"/api/submissions/{sid}?after_seq={seq}", headers=headers)
            if back.status_code != 200 or back.json()["code"] != body["code"]:
                reads["bad"].append(("read back", back.status_code, back.text))

    queries = QuerySettings(database_url=database_url, **urls)
    async with (
        in_this_loop(query_app(queries)) as query,
        in_this_loop(command_app(CommandSettings(**urls))) as command,
    ):
        tasks = [asyncio.create_task(reader(query, i * 40)) for i in range(READERS)]
        tasks.append(asyncio.create_task(writer(command, query)))
        await asyncio.sleep(0.3)  # traffic first
        replaying.set()
        started = time.monotonic()
        report = await replay.replay(js, pool, query_cache)
        replaying.clear()
        await asyncio.sleep(0.3)  # and after
        done.set()
        await asyncio.gather(*tasks)
    assert time.monotonic() > started
    assert reads["bad"] == []
    assert reads["during"] > 20 and len(written) > 5
    assert (caught_up[0] >= LATE) == (close_enough == 0)  # else all under the lock

    # nothing lost: the live projector goes on from the rebuilt tables to the stream's end
    last = (await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq
    await asyncio.wait_for(_until_projected(pool, last), 30)
    projecting.cancel()
    async with pool.connection() as conn:
        rows = await (await conn.execute("SELECT submission_id FROM submissions_v2")).fetchall()
    assert {str(row["submission_id"]) for row in rows} >= set(written)
    assert {str(sub.submission_id) for sub in late} <= {str(row["submission_id"]) for row in rows}
    assert len(rows) == SEEDED + len(written) + LATE
    assert report.switched_at <= last


async def _until_projected(pool, last: int) -> None:
    while True:
        async with pool.connection() as conn:
            row = await (
                await conn.execute("SELECT min(stream_seq) AS s FROM projection_checkpoint")
            ).fetchone()
        if row["s"] >= last:
            return
        await asyncio.sleep(0.05)
