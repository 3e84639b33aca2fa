"""The built site (web/dist) and the whole system for browser tests, in Debian's Chromium."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from grindstone_cli import stack
from scripts import chromium
from tests import systems
from tests.conftest import Servers

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
SOURCES = [
    "src",
    "index.html",
    "assignments",
    "submissions",
    "course",
    "ops",
    "audit",
    "vite.config.ts",
    "package-lock.json",
]


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
    if not os.path.exists(chromium.EXECUTABLE):
        pytest.fail(f"{chromium.EXECUTABLE} is missing: `just setup` installs Debian's chromium")
    return {
        **browser_type_launch_args,
        "executable_path": chromium.EXECUTABLE,
        "args": chromium.ARGS,
    }


@pytest.fixture(scope="session")
def base_url() -> None:
    """None: tests name the system's own URL (pytest-base-url's fixture warns under pytest 9)."""
    return None


@pytest.fixture(scope="module")
def system(servers: Servers) -> Iterator[stack.System]:
    """The whole system as `just up` runs it (dev nginx), a fresh database and stream per module."""
    with systems.running(servers, "browser", valkey_db=3) as running:
        yield running
