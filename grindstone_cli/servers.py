"""The servers of a run: those named by NATS_URL / DATABASE_URL / VALKEY_URL, or embedded ones."""

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
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
def running(folder: Path) -> Iterator[tuple[dict[str, str], list[str]]]:
    """({field: url}, [names of the embedded servers started]); those are stopped on exit."""
    urls: dict[str, str] = {}
    started: list[str] = []
    with contextlib.ExitStack() as stack:
        todo = {}
        for field, (variable, starter) in KINDS.items():
            if os.environ.get(variable):
                urls[field] = os.environ[variable]
            else:
                todo[field] = starter(folder / field.removesuffix("_url"))
        # start the embedded ones side by side: PostgreSQL's first initdb takes seconds
        with ThreadPoolExecutor(len(todo) or 1) as pool:
            futures = {field: pool.submit(cm.__enter__) for field, cm in todo.items()}
        for field, cm in todo.items():
            if futures[field].exception() is None:
                stack.push(cm.__exit__)
        for field, future in futures.items():
            urls[field] = future.result()
            started.append(f"{field.removesuffix('_url')} ({urls[field]})")
        yield urls, started
