"""Servers for the tests: real NATS (JetStream), PostgreSQL and Valkey.

Started once per session on free loopback ports from the embedded binaries, unless
TEST_NATS_URL / TEST_DATABASE_URL / TEST_VALKEY_URL name servers owned by the test run.
Each test gets a fresh EVENTS stream, a fresh database and a flushed Valkey db.
"""

import asyncio
import contextlib
import itertools
import os
import secrets
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
import pytest_timeout

from common import cache, embedded
from common import nats as gnats
from events import subjects

SECRET = "test-secret-" + secrets.token_hex(8)
_db_counter = itertools.count()


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: object) -> bool:
    """pytest-timeout's signal method, but a test that hangs on the event loop first prints
    where each of its tasks waits (the main thread's stack alone only shows the loop's select)."""

    def on_timeout(signum: int, frame: object) -> None:
        __tracebackhide__ = True
        with contextlib.suppress(RuntimeError):
            for task in asyncio.all_tasks(asyncio.get_running_loop()):
                task.print_stack(file=sys.stderr)
        pytest_timeout.timeout_sigalrm(item, settings)

    def cancel() -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel  # type: ignore[attr-defined]
    signal.signal(signal.SIGALRM, on_timeout)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)  # type: ignore[attr-defined]
    return True


class Servers:
    def __init__(self, nats_url: str, database_url: str, valkey_url: str) -> None:
        self.nats_url = nats_url
        self.database_url = database_url
        self.valkey_url = valkey_url


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    with contextlib.ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="grindstone-test-")))
        root.chmod(0o755)  # PostgreSQL runs as an unprivileged user and must reach its data
        nats_url = os.environ.get("TEST_NATS_URL") or stack.enter_context(
            embedded.nats_server(root / "nats")
        )
        database_url = os.environ.get("TEST_DATABASE_URL") or stack.enter_context(
            embedded.postgres_server(root / "pg")
        )
        valkey_url = os.environ.get("TEST_VALKEY_URL") or stack.enter_context(
            embedded.valkey_server(root / "valkey")
        )
        yield Servers(nats_url, database_url, valkey_url)


@pytest.fixture
def database_url(servers: Servers) -> Iterator[str]:
    """A new, empty database for this test."""
    name = f"t_{os.getpid()}_{next(_db_counter)}"
    with psycopg.connect(servers.database_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = servers.database_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(servers.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def nc(servers: Servers) -> AsyncIterator[gnats.Client]:
    """A NATS connection with a fresh EVENTS stream and verdict cache."""
    client = await gnats.connect(servers.nats_url, "tests")
    js = client.jetstream()
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.EVENTS_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.SET_ASIDE_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.AUDIT_CHECKPOINTS_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_key_value(subjects.VERDICT_CACHE_BUCKET)
    with contextlib.suppress(Exception):
        await js.delete_stream("REGRADES")  # common/regrade_queue.py: made again when used
    await gnats.ensure_streams(js)
    yield client
    await client.close()


@pytest.fixture
async def js(nc: gnats.Client) -> gnats.JetStreamContext:
    return nc.jetstream()


@pytest.fixture
async def valkey(servers: Servers) -> AsyncIterator[cache.valkey.Valkey]:
    client = cache.connect(servers.valkey_url)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def service_env(servers: Servers, database_url: str) -> dict[str, str]:
    """The environment a service process of this test runs with."""
    return {
        "NATS_URL": servers.nats_url,
        "DATABASE_URL": database_url,
        "VALKEY_URL": servers.valkey_url,
        "GRINDSTONE_SECRET": SECRET,
        "LOG_LEVEL": "INFO",
    }


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: sync Playwright keeps an event loop running in the main thread
    until the session ends, and the asyncio tests need it free."""
    browser = Path(__file__).parent / "browser"
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(browser))
