"""`grindstone up` (development and --prod) restarts each kind of process killed under load: each
submission made meanwhile is graded exactly once and heard by its student; Ctrl+C leaves
nothing behind, and `up` starts again on the same data folder."""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from common import embedded
from tests.e2e import students as load
from tests.e2e.test_up import ROOT, START_TIMEOUT_S, processes_of

STUDENTS = 4
BACK = re.compile(r"^(\S+) is back \(([\d.]+) s after it exited\)")


class Up:
    """A `grindstone up` process and every line it printed."""

    def __init__(self, folder: Path, port: int, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
        env.pop("VALKEY_URL", None)
        env.update(GRINDSTONE_DATA=str(folder), GRINDSTONE_PORT=str(port), PYTHONUNBUFFERED="1")
        env["GRINDSTONE_RATE_LIMIT_PER_MINUTE"] = "0"  # a load test
        self.folder, self.base = folder, f"http://127.0.0.1:{port}"
        self.lines: list[str] = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "grindstone_cli", "up", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own group, as a terminal's foreground job
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.wait_for("embedded servers started", START_TIMEOUT_S)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float, after: int = 0) -> str:
        """The last line with `text`, among those printed after the first `after`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [line for line in self.lines[after:] if text in line]
            if found:
                return found[-1]
            assert self.proc.poll() is None, "\n".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} after {timeout} s:\n" + "\n".join(self.lines))

    def pids(self) -> dict[str, int | None]:
        table = json.loads((self.folder / "processes.json").read_text())
        return {label: entry["pid"] for label, entry in table.items()}

    def nats_url(self) -> str:
        return str(json.loads((self.folder / "run.json").read_text())["nats_url"])

    def stop(self) -> None:
        """Ctrl+C, as a terminal sends it: to the whole foreground process group."""
        before = len(self.lines)
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=60)
        self.reader.join(10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        assert self.proc.returncode == 0, "\n".join(self.lines)
        assert "Stopped every process this run started." in self.lines
        assert not [line for line in self.lines[before:] if "exited" in line]  # none restarted


def live_pid(up: Up, label: str) -> int:
    deadline = time.monotonic() + 60
    while (pid := up.pids()[label]) is None:  # down, about to be started again
        assert time.monotonic() < deadline, f"{label} stays down"
        time.sleep(0.05)
    return pid


def kill_each_in_turn(up: Up) -> dict[str, float]:
    """kill -9 one process of each kind in the run (a replica, a NATS node, a grader stand for
    their siblings: the same code, restarted the same way), one after the other, each once it
    is back; the seconds from its exit until it answers again, as the supervisor measured."""
    back: dict[str, float] = {}
    for label in {label.split(".")[0]: label for label in reversed(up.pids())}.values():
        seen = len(up.lines)
        pid = live_pid(up, label)  # now: a server's restart may have restarted its clients
        os.kill(pid, signal.SIGKILL)
        line = up.wait_for(f"{label} is back", 60, after=seen)
        match = BACK.match(line)
        assert match is not None, line
        back[label] = float(match.group(2))
        assert up.pids()[label] != pid
        time.sleep(0.5)  # a little traffic between kills
    return back


async def under_load(up: Up) -> tuple[list[load.Student], dict[str, float]]:
    students = await load.new_students(up.base, STUDENTS)
    stop = asyncio.Event()
    running = [asyncio.create_task(s.run(stop)) for s in students]
    await asyncio.sleep(1.0)
    back = await asyncio.to_thread(kill_each_in_turn, up)
    await asyncio.sleep(1.0)
    stop.set()
    await asyncio.gather(*running)  # each finishes the submission it was on, heard
    return students, back


async def check_graded_once_and_heard(up: Up, students: list[load.Student]) -> None:
    accepted = [sid for s in students for sid in s.accepted]
    assert len(accepted) >= STUDENTS
    for student in students:
        assert set(student.accepted) <= student.heard, student.name
    counts = await load.graded_counts(up.nats_url(), accepted)
    assert set(counts.values()) == {1}, counts


async def restart_on_the_same_folder(folder: Path, port: int, *args: str) -> None:
    up = Up(folder, port, *args)
    try:
        (student,) = await load.new_students(up.base, 1)
        await student.run(asyncio.Event(), rounds=1)
        assert len(student.heard) == 1
    finally:
        up.stop()
    assert processes_of(folder) == []


@pytest.mark.parametrize("args", [(), ("--prod", "--replicas", "2")], ids=["dev", "prod"])
async def test_every_process_killed_under_load_comes_back(folder: Path, args: tuple[str, ...]):
    port = embedded.free_port()
    up = Up(folder, port, *args)
    try:
        students, back = await under_load(up)
        await check_graded_once_and_heard(up, students)
        restarts = [line for line in up.lines if "exited (status -9); restarting in" in line]
        assert len(restarts) == len(back)
    finally:
        up.stop()
    assert processes_of(folder) == []
    made = sum(len(s.accepted) for s in students)
    figures = ", ".join(f"{label} {seconds:.2f} s" for label, seconds in back.items())
    mode = " ".join(args) or "dev"
    print(f"\n{mode}: {made} submissions graded once and heard; back after: {figures}")
    await restart_on_the_same_folder(folder, port, *args)
