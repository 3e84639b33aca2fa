"""The data folder of a `just up` run: embedded servers' data, the secret, and run.json."""

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from common import credentials

DEFAULT = ".grindstone"


def path() -> Path:
    return Path(os.environ.get("GRINDSTONE_DATA") or DEFAULT).absolute()


class InUse(Exception):
    pass


@contextlib.contextmanager
def owned(folder: Path) -> Iterator[None]:
    """One run per data folder: an exclusive lock on `up.lock`, which the kernel releases however
    the run ends (kill -9 too), so it is never stale; children do not inherit it."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "up.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            raise InUse(
                f"Another grindstone up (pid {lock.read().strip() or '?'}) runs on {folder}: "
                "stop it first (Ctrl+C), or set GRINDSTONE_DATA to another folder."
            ) from None
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        yield


def secret(folder: Path) -> str:
    """The server secret: GRINDSTONE_SECRET, else the folder's own, made on first use."""
    if os.environ.get("GRINDSTONE_SECRET"):
        return os.environ["GRINDSTONE_SECRET"]
    file = folder / "secret"
    if not file.exists():
        folder.mkdir(parents=True, exist_ok=True)
        file.touch(mode=0o600)
        file.write_text(secrets.token_urlsafe(32))
    return file.read_text().strip()


def write_urls(folder: Path, urls: dict[str, str]) -> None:
    """Mode 0600: the URLs carry the servers' passwords."""
    credentials.write_private(folder / "run.json", json.dumps(urls, indent=2) + "\n")


def read_urls(folder: Path) -> dict[str, str]:
    """The servers of the last `up` in this folder ({} when there was none)."""
    file = folder / "run.json"
    return dict(json.loads(file.read_text())) if file.exists() else {}
