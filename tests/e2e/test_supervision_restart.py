"""`grindstone up` killed with SIGKILL takes its processes with it; after that, or after a crash
of every process at once, it starts again on the same data folder and port; Ctrl+C then ends
every process it started and frees every port."""

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from common import embedded
from tests.e2e import students as load
from tests.e2e.test_supervision import Up
from tests.e2e.test_up import ROOT

GONE_TIMEOUT_S = 30.0  # a SIGTERMed service drains, PostgreSQL checkpoints


def started_at(pid: int) -> str | None:
    """The process's start time (field 22 of /proc/PID/stat): tells a pid reused apart."""
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    return None


def descendants(root: int) -> set[tuple[int, str]]:
    """Every live process under `root` (nginx's workers, PostgreSQL's backends, sandboxes)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError):
            if entry.name.isdigit():
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry.name)] = int(stat[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found |= frontier
    return {(pid, start) for pid in found if (start := started_at(pid)) is not None}


def ports_of(folder: Path) -> set[int]:
    table = json.loads((folder / "processes.json").read_text())
    return {entry["port"] for entry in table.values() if entry["port"] is not None}


def left(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    return {(pid, start) for pid, start in processes if started_at(pid) == start}


def wait_until_gone(processes: set[tuple[int, str]]) -> None:
    deadline = time.monotonic() + GONE_TIMEOUT_S
    while left(processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left(processes) == set(), "processes of the run outlived it"


def assert_free(ports: set[int]) -> None:
    for port in ports:
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no holder
            s.bind(("127.0.0.1", port))  # raises if a process still listens there


async def graded_once(up: Up) -> None:
    (student,) = await load.new_students(up.base, 1)
    await student.run(asyncio.Event(), rounds=1)
    assert set(student.accepted) == student.heard


def assert_a_second_up_is_refused(folder: Path, running: Up) -> None:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_URL")}
    env.update(GRINDSTONE_DATA=str(folder), GRINDSTONE_PORT=str(embedded.free_port()))
    argv = [sys.executable, "-m", "grindstone_cli", "up"]
    second = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 1, second.stdout + second.stderr
    assert f"Another grindstone up (pid {running.proc.pid}) runs on {folder}" in second.stderr
    assert "Starting Grindstone" not in second.stdout  # no server of its own on the same data


def kill(up: Up, *also: int) -> None:
    """SIGKILL `up` (and `also`, at the same moment); no handler of `up` runs."""
    for pid in (up.proc.pid, *also):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    up.proc.wait()
    up.reader.join(10)
    assert up.proc.stdout is not None
    up.proc.stdout.close()


async def test_up_killed_outright_leaves_nothing_and_starts_again_on_the_same_folder(
    folder: Path,
):
    port = embedded.free_port()
    up = Up(folder, port)
    await graded_once(up)
    first = descendants(up.proc.pid)
    assert len(first) >= 9  # three servers, five services, nginx (and their children)
    kill(up)  # each child gets its parent-death signal and stops
    await asyncio.to_thread(wait_until_gone, first)
    assert_free(ports_of(folder))

    up = Up(folder, port)
    await graded_once(up)
    second = descendants(up.proc.pid)
    kill(up, *(pid for pid, _ in second))  # a crash: stale pid files, no clean shutdown
    await asyncio.to_thread(wait_until_gone, second)

    up = Up(folder, port)  # the data folder of a crashed run is no obstacle
    try:
        assert_a_second_up_is_refused(folder, up)
        await graded_once(up)
        third = descendants(up.proc.pid)
        ports = ports_of(folder)
    finally:
        up.stop()
    assert left(third) == set()  # Ctrl+C waited for each
    assert_free(ports)
    table = json.loads((folder / "processes.json").read_text())
    assert {label: entry["pid"] for label, entry in table.items()} == dict.fromkeys(table)
