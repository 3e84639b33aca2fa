"""The built site (web/dist) and the whole system for browser tests, in Debian's Chromium."""

import asyncio
import concurrent.futures
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from common import cache, embedded
from grindstone_cli import stack
from tests.conftest import Servers
from tests.e2e.conftest import _fresh_stream

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SOURCES = ["src", "index.html", "assignments", "submissions", "vite.config.ts", "package-lock.json"]


def _newest_source() -> float:
    newest = 0.0
    for name in SOURCES:
        path = WEB / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest


@pytest.fixture(scope="session", autouse=True)
def built_site() -> Path:
    """web/dist, built when missing or older than its sources (a few seconds)."""
    dist = WEB / "dist" / "index.html"
    if dist.exists() and dist.stat().st_mtime >= _newest_source():
        return dist.parent
    npm = shutil.which("npm")
    assert npm, "npm is needed to build web/dist (`just setup` installs Node)"
    if not (WEB / "node_modules").exists():
        subprocess.run([npm, "--prefix", str(WEB), "ci", "--no-audit", "--no-fund"], check=True)
    subprocess.run([npm, "--prefix", str(WEB), "run", "build"], check=True, capture_output=True)
    return dist.parent


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `just setup` installs Debian's chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> None:
    """None: tests name the system's own URL (pytest-base-url's fixture warns under pytest 9)."""
    return None


async def _fresh_servers(nats_url: str, valkey_url: str) -> None:
    await _fresh_stream(nats_url)
    client = cache.connect(valkey_url)
    await client.flushdb()
    await client.aclose()


@pytest.fixture(scope="module")
def system(servers: Servers) -> Iterator[stack.System]:
    """The whole system as `just up` runs it (dev nginx), a fresh database and stream per module."""
    name = f"browser_{os.getpid()}"
    with psycopg.connect(servers.database_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        "NATS_URL": servers.nats_url,
        "DATABASE_URL": servers.database_url.rsplit("/", 1)[0] + f"/{name}",
        "VALKEY_URL": servers.valkey_url.rsplit("/", 1)[0] + "/3",
        "GRINDSTONE_SECRET": "browser-secret",
        "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
    }
    # on a thread of its own: sync Playwright keeps an event loop running on this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _fresh_servers(servers.nats_url, env["VALKEY_URL"])).result()
    with (
        tempfile.TemporaryDirectory(prefix="grindstone-browser-") as folder,
        stack.running(Path(folder), embedded.free_port(), env) as running,
    ):
        yield running
