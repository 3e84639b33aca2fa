"""The whole system as processes on the test servers, for the end-to-end and browser tests:
a database of its own, a fresh EVENTS stream and verdict cache, a flushed Valkey db."""

import asyncio
import concurrent.futures
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

from common import cache, embedded
from common import nats as gnats
from events import subjects
from grindstone_cli import stack
from tests.conftest import Servers


async def _fresh_servers(nats_url: str | None, valkey_url: str) -> None:
    if nats_url is not None:
        await _fresh_streams(nats_url)
    client = cache.connect(valkey_url)
    await client.flushdb()
    await client.aclose()


async def _fresh_streams(nats_url: str) -> None:
    nc = await gnats.connect(nats_url, "tests-setup")
    js = nc.jetstream()
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.EVENTS_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.SET_ASIDE_STREAM)
    with contextlib.suppress(Exception):  # checkpoints of an EVENTS stream now gone
        await js.delete_stream(subjects.AUDIT_CHECKPOINTS_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_key_value(subjects.VERDICT_CACHE_BUCKET)
    await gnats.ensure_streams(js)
    await nc.close()


@contextlib.contextmanager
def running(
    servers: Servers, name: str, valkey_db: int, nats_cluster: bool = False, **options: object
) -> Iterator[stack.System]:
    """`name` names the run's own database (dropped first if a crashed run left it); with
    `nats_cluster` (and `prod`) the run starts its own NATS cluster instead of using the
    session's NATS; `options` go to `stack.running` (replicas, prod, ...)."""
    name = f"{name}_{os.getpid()}"
    with psycopg.connect(servers.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        "NATS_URL": "" if nats_cluster else servers.nats_url,  # "": embedded, as if unset
        "DATABASE_URL": servers.database_url.rsplit("/", 1)[0] + f"/{name}",
        "VALKEY_URL": servers.valkey_url.rsplit("/", 1)[0] + f"/{valkey_db}",
        "GRINDSTONE_SECRET": f"{name}-secret",
        "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
        "LOG_LEVEL": "INFO",  # the prod tests read which replica answered in the access log
    }
    # on a thread of its own: the browser tests' sync Playwright keeps an event loop running here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        fresh = _fresh_servers(env["NATS_URL"] or None, env["VALKEY_URL"])
        pool.submit(asyncio.run, fresh).result()
    with (
        tempfile.TemporaryDirectory(prefix=f"grindstone-{name}-") as folder,
        stack.running(Path(folder), embedded.free_port(), env, **options) as system,  # type: ignore[arg-type]
    ):
        yield system
