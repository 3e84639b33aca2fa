"""`python -m services.projector` as a process: schema, run until SIGTERM, crash on failure."""

import asyncio
import os
import signal
import sys
import uuid
from pathlib import Path

import psycopg

from common import setaside
from events import codec
from services.projector import mark
from tests.integration.projector.history import Submission, append, published

ROOT = Path(__file__).resolve().parents[3]
PATIENCE_S = 30.0


async def start(service_env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.projector",
        *args,
        cwd=ROOT,
        env={**os.environ, **service_env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


async def assignment_count(database_url: str) -> int:
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute("SELECT count(*) FROM assignments_v3")
        return (await cur.fetchone())[0]


async def wait_until(check) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE_S
    while not await check():
        assert loop.time() < deadline, "the projector did not get there"
        await asyncio.sleep(0.05)


async def test_the_schema_command_creates_the_tables_and_exits_0(service_env, database_url):
    proc = await start(service_env, "schema")
    _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    assert await assignment_count(database_url) == 0


async def test_the_projector_projects_until_sigterm(service_env, database_url, js, valkey):
    (seq,) = await append(js, published(uuid.uuid4(), 1))
    proc = await start(service_env)

    async def caught_up() -> bool:
        raw = await valkey.get(mark.KEY)
        return raw is not None and int(raw) >= seq + 1

    try:
        await append(js, published(uuid.uuid4(), 2))
        await wait_until(caught_up)
        assert await assignment_count(database_url) == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()


async def test_the_projector_process_goes_on_past_events_it_cannot_read_and_restarts(
    service_env, database_url, js, valkey
):
    data, headers = codec.encode(published(uuid.uuid4(), 1))
    await js.publish("events.assignment.x", data, headers={**headers, codec.VERSION_HEADER: "2"})
    await js.publish("events.assignment.y", b'{"garbage": tru', headers=headers)
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    _, refused = await append(js, sub.created(), sub.started(attempt=2**40))  # out of range
    for round in (1, 2):  # the second start is on the same data: it reapplies them in vain
        proc = await start(service_env)
        try:
            (seq,) = await append(js, published(uuid.uuid4(), round))

            async def caught_up(seq: int = seq) -> bool:
                raw = await valkey.get(mark.KEY)
                return raw is not None and int(raw) >= seq

            await wait_until(caught_up)
            assert proc.returncode is None
            assert await assignment_count(database_url) == round
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
    assert [r.seq for r in await setaside.records(js, "projector")] == [1, 2, refused]
