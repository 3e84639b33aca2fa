"""Keep every process of a run alive: restart one that exits, with backoff, and say so.

`tick()` is called from the run's main thread (children get their parent-death signal from
the thread that started them). A process that keeps failing is reported once and tried again
every `MAX_BACKOFF_S`; the others go on serving. `processes.json` in the data folder names the
live pid of each process, for operators and tests.
"""

import collections
import contextlib
import json
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from grindstone_cli import processes

FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
STABLE_S = 60.0  # running this long forgives earlier exits
FAILING_EXITS = 5  # exits within FAILING_WINDOW_S make a process "keeps failing"
FAILING_WINDOW_S = 120.0

Starter = Callable[[], subprocess.Popen[bytes]]


class Child:
    def __init__(self, label: str, start: Starter, health_url: str | None = None) -> None:
        self.label, self.start, self.health_url = label, start, health_url
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.exits: collections.deque[float] = collections.deque(maxlen=FAILING_EXITS)
        self.restarts = 0
        self.backoff = FIRST_BACKOFF_S
        self.restart_at: float | None = None  # set while it waits to be started again
        self.down_since: float | None = None  # from its exit until it answers again
        self.reported = False


class Supervisor:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.children: dict[str, Child] = {}

    def say(self, line: str) -> None:
        """To the terminal and to logs/supervisor.log."""
        print(line, flush=True)
        with open(self.folder / "logs" / "supervisor.log", "a") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")

    def adopt(
        self, label: str, proc: subprocess.Popen[bytes], start: Starter, health: str | None = None
    ) -> None:
        """Watch a process already started; `start` starts it again the same way."""
        child = Child(label, start, health)
        child.proc, child.started_at = proc, time.monotonic()
        self.children[label] = child
        self._write()

    def procs(self) -> list[subprocess.Popen[bytes]]:
        return [c.proc for c in self.children.values() if c.proc is not None]

    def tick(self) -> None:
        now = time.monotonic()
        changed = False
        for child in self.children.values():
            changed |= self._tend(child, now)
        if changed:
            self._write()

    def _tend(self, child: Child, now: float) -> bool:
        proc = child.proc
        if child.down_since is not None and proc is not None and proc.poll() is None:
            self._check_back(child, now)
        if proc is not None and proc.poll() is None:
            if now - child.started_at > STABLE_S:
                child.backoff, child.reported = FIRST_BACKOFF_S, False
            return False
        if child.restart_at is None:
            self._exited(child, now)
            return False
        if now < child.restart_at:
            return False
        child.restart_at, child.restarts = None, child.restarts + 1
        child.proc, child.started_at = child.start(), now
        return True

    def _exited(self, child: Child, now: float) -> None:
        status = None
        if child.proc is not None:
            status = child.proc.returncode
            processes.end_group(child.proc)  # what it started must not hold its port
        child.exits.append(now)
        child.down_since = child.down_since or now
        child.restart_at = now + child.backoff
        self.say(
            f"{child.label} exited (status {status}); restarting in {child.backoff:.1f} s "
            f"(restart #{child.restarts + 1})"
        )
        failing = len(child.exits) == FAILING_EXITS and now - child.exits[0] < FAILING_WINDOW_S
        if failing and not child.reported:
            child.reported = True
            self.say(
                f"{child.label} keeps failing: {FAILING_EXITS} exits in "
                f"{now - child.exits[0]:.0f} s; still trying every {MAX_BACKOFF_S:.0f} s at "
                f"most, the rest goes on serving; see {self.folder / 'logs'}"
            )
        child.backoff = min(child.backoff * 2, MAX_BACKOFF_S)

    def _check_back(self, child: Child, now: float) -> None:
        if child.health_url is None or _answers(child.health_url):
            assert child.down_since is not None
            self.say(f"{child.label} is back ({now - child.down_since:.2f} s after it exited)")
            child.down_since = None

    def _write(self) -> None:
        table = {
            label: {"pid": c.proc.pid if c.proc else None, "restarts": c.restarts}
            for label, c in self.children.items()
        }
        file = self.folder / "processes.json"
        partial = file.with_suffix(".json.partial")
        partial.write_text(json.dumps(table, indent=2) + "\n")
        partial.replace(file)


def _answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=0.5) as response:
        return bool(response.status == 200)
    return False
