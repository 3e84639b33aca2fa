"""The servers of a run: those named by NATS_URL / DATABASE_URL / VALKEY_URL, or embedded ones
that the run's supervisor restarts on the same port and data folder, each requiring the
password generated into its folder (the URLs carry it)."""

import contextlib
import os
import subprocess
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from common import credentials, embedded
from grindstone_cli import processes, supervisor

Start = Callable[[Path, int], embedded.Started]
KINDS: dict[str, tuple[str, Start]] = {
    "nats_url": ("NATS_URL", embedded.start_nats),
    "database_url": ("DATABASE_URL", embedded.start_postgres),
    "valkey_url": ("VALKEY_URL", embedded.start_valkey),
}
LABELS = {field.removesuffix("_url") for field in KINDS}  # in the supervisor's table


@contextlib.contextmanager
def running(
    folder: Path, watch: supervisor.Supervisor, env: Mapping[str, str] = os.environ
) -> Iterator[tuple[dict[str, str], list[str]]]:
    """({field: url}, [names of the embedded servers started]); those are stopped on exit."""
    urls: dict[str, str] = {}
    started: list[str] = []
    labels: list[str] = []
    try:
        for field, (variable, start) in KINDS.items():
            if env.get(variable):
                urls[field] = env[variable]
                continue
            # one after the other, from this thread: a child's parent-death signal fires when
            # the *thread* that started it ends, so servers are not started from worker threads
            name, port = field.removesuffix("_url"), embedded.free_port()
            proc, urls[field] = start(folder / name, port)
            watch.adopt(name, proc, _again(start, folder / name, port), port=port)
            labels.append(name)
            started.append(f"{name} ({credentials.redact(urls[field])})")  # no password
        yield urls, started
    finally:
        processes.stop_all(watch.procs(labels))
        watch.write()  # the run's last word: nothing of it is live


def _again(start: Start, data: Path, port: int) -> Callable[[], subprocess.Popen[bytes]]:
    """Start it again on its port and data folder; back once it answers."""
    return lambda: start(data, port)[0]
