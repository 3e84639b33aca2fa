"""The servers of a run: those named by NATS_URL / DATABASE_URL / VALKEY_URL, or embedded ones."""

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path

from common import embedded

Starter = Callable[[Path], AbstractContextManager[str]]
KINDS: dict[str, tuple[str, Starter]] = {
    "nats_url": ("NATS_URL", embedded.nats_server),
    "database_url": ("DATABASE_URL", embedded.postgres_server),
    "valkey_url": ("VALKEY_URL", embedded.valkey_server),
}


@contextlib.contextmanager
def running(
    folder: Path, env: Mapping[str, str] = os.environ
) -> Iterator[tuple[dict[str, str], list[str]]]:
    """({field: url}, [names of the embedded servers started]); those are stopped on exit."""
    urls: dict[str, str] = {}
    started: list[str] = []
    with contextlib.ExitStack() as stack:
        todo = {}
        for field, (variable, starter) in KINDS.items():
            if env.get(variable):
                urls[field] = env[variable]
            else:
                todo[field] = starter(folder / field.removesuffix("_url"))
        # one after the other, from this thread: a child's parent-death signal fires when the
        # *thread* that started it ends, so servers must not be started from worker threads
        for field, cm in todo.items():
            urls[field] = stack.enter_context(cm)
            started.append(f"{field.removesuffix('_url')} ({urls[field]})")
        yield urls, started
