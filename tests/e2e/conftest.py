"""The whole system as processes (every service, nginx in front) on the test servers."""

import asyncio
import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from common import embedded
from common import nats as gnats
from events import subjects
from grindstone_cli import stack

CURRICULUM = [json.loads(line) for line in stack.CURRICULUM.read_text().splitlines() if line]


async def _fresh_stream(nats_url: str) -> None:
    nc = await gnats.connect(nats_url, "e2e-setup")
    js = nc.jetstream()
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.EVENTS_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_key_value(subjects.VERDICT_CACHE_BUCKET)
    await gnats.ensure_streams(js)
    await nc.close()


@pytest.fixture(scope="module")
def system(servers) -> Iterator[stack.System]:
    name = f"e2e_{os.getpid()}"
    with psycopg.connect(servers.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    asyncio.run(_fresh_stream(servers.nats_url))
    env = {
        "NATS_URL": servers.nats_url,
        "DATABASE_URL": servers.database_url.rsplit("/", 1)[0] + f"/{name}",
        "VALKEY_URL": servers.valkey_url.rsplit("/", 1)[0] + "/1",
        "GRINDSTONE_SECRET": "e2e-secret",
        "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
    }
    with (
        tempfile.TemporaryDirectory(prefix="grindstone-e2e-") as folder,
        stack.running(Path(folder), embedded.free_port(), env) as running,
    ):
        yield running


def curriculum_record(title: str) -> dict:
    return next(r for r in CURRICULUM if r["title"] == title)
