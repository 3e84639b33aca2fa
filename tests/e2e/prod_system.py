"""The whole system in the production configuration (replicas behind nginx with
infra/nginx/prod.conf.template) on the test servers, for the prod and browser tests."""

import asyncio
import concurrent.futures
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

from common import cache, embedded
from grindstone_cli import stack
from tests.conftest import Servers
from tests.e2e.conftest import _fresh_stream

REPLICAS = 2


async def _fresh_servers(servers: Servers, valkey_url: str) -> None:
    await _fresh_stream(servers.nats_url)
    client = cache.connect(valkey_url)
    await client.flushdb()
    await client.aclose()


@contextlib.contextmanager
def running(servers: Servers, name: str) -> Iterator[stack.System]:
    """`name` names the run's own database (dropped first if a crashed run left it)."""
    name = f"{name}_{os.getpid()}"
    with psycopg.connect(servers.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        "NATS_URL": servers.nats_url,
        "DATABASE_URL": servers.database_url.rsplit("/", 1)[0] + f"/{name}",
        "VALKEY_URL": servers.valkey_url.rsplit("/", 1)[0] + "/2",
        "GRINDSTONE_SECRET": "prod-secret",
        "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
        "LOG_LEVEL": "INFO",  # the access log shows which replica answered
    }
    # on a thread of its own: the browser tests' sync Playwright keeps an event loop running here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _fresh_servers(servers, env["VALKEY_URL"])).result()
    with (
        tempfile.TemporaryDirectory(prefix="grindstone-prod-") as folder,
        stack.running(
            Path(folder), embedded.free_port(), env, replicas=REPLICAS, prod=True
        ) as system,
    ):
        yield system
