"""Keep every process of a run alive: restart one that exits, with backoff, and say so.

`watching()` tends the processes from a thread that lives as long as the run: a child gets its
parent-death signal when the *thread* that started it ends, so restarts never come from a
short-lived thread. A process that keeps failing is reported once and tried again every
`MAX_BACKOFF_S`; the others go on serving. `processes.json` in the data folder names the live
pid, port and restarts of each process, for operators and tests.
"""

import collections
import contextlib
import json
import subprocess
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from grindstone_cli import processes

FIRST_BACKOFF_S = 0.5
MAX_BACKOFF_S = 30.0
STABLE_S = 60.0  # running this long forgives earlier exits
FAILING_EXITS = 5  # exits within FAILING_WINDOW_S make a process "keeps failing"
FAILING_WINDOW_S = 120.0
TICK_S = 0.2

Starter = Callable[[], subprocess.Popen[bytes]]


class Child:
    def __init__(
        self, label: str, start: Starter, health_url: str | None, port: int | None
    ) -> None:
        self.label, self.start, self.health_url, self.port = label, start, health_url, port
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.exits: collections.deque[float] = collections.deque(maxlen=FAILING_EXITS)
        self.restarts = 0
        self.backoff = FIRST_BACKOFF_S
        self.restart_at: float | None = None  # set while it waits to be started again
        self.down_since: float | None = None  # from its exit until it answers again
        self.reported = False

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


class Supervisor:
    def __init__(self, folder: Path, first_backoff_s: float = FIRST_BACKOFF_S) -> None:
        self.folder = folder
        self.first_backoff_s = first_backoff_s
        self.children: dict[str, Child] = {}
        self.lock = threading.Lock()  # tick() against procs() from the run's main thread

    def say(self, line: str) -> None:
        """To the terminal and to logs/supervisor.log."""
        print(line, flush=True)
        (self.folder / "logs").mkdir(exist_ok=True)
        with open(self.folder / "logs" / "supervisor.log", "a") as log:
            log.write(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} {line}\n")

    def adopt(
        self,
        label: str,
        proc: subprocess.Popen[bytes],
        start: Starter,
        health_url: str | None = None,
        port: int | None = None,
    ) -> None:
        """Watch a process already started; `start` starts it again the same way (same port)."""
        child = Child(label, start, health_url, port)
        child.proc, child.started_at, child.backoff = proc, time.monotonic(), self.first_backoff_s
        with self.lock:
            self.children[label] = child
            self.write()

    def kill(self, label: str, hold_s: float = 0.0) -> int:
        """SIGKILL its process, as a crash would, and start it again no sooner than `hold_s`
        from now (a test holds a replica down to see the others serve without it); its pid."""
        with self.lock:
            child = self.children[label]
            assert child.proc is not None and child.alive(), f"{label} is down already"
            child.proc.kill()
            child.proc.wait()
            now = time.monotonic()
            self._exited(child, now)
            assert child.restart_at is not None
            child.restart_at = max(child.restart_at, now + hold_s)
            self.write()
            return child.proc.pid

    def procs(self, labels: Collection[str] | None = None) -> list[subprocess.Popen[bytes]]:
        """The current process of each (or of those `labels`), for stopping them."""
        with self.lock:
            children = [c for c in self.children.values() if labels is None or c.label in labels]
            return [c.proc for c in children if c.proc is not None]

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Tend the processes from a thread of their own until exit."""
        done = threading.Event()

        def loop() -> None:
            while not done.wait(TICK_S):
                try:
                    self.tick()
                except Exception:  # e.g. a full disk: supervision goes on, and says why
                    traceback.print_exc()

        thread = threading.Thread(target=loop, name="supervisor", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    def tick(self) -> None:
        now = time.monotonic()
        with self.lock:
            changed = [self._tend(child, now) for child in self.children.values()]
            if any(changed):
                self.write()

    def _tend(self, child: Child, now: float) -> bool:
        if child.alive():
            if child.down_since is not None:
                self._check_back(child, now)
            elif now - child.started_at > STABLE_S:
                child.backoff, child.reported = self.first_backoff_s, False
            return False
        if child.restart_at is None:
            self._exited(child, now)
            return True
        if now < child.restart_at:
            return False
        child.restart_at, child.restarts, child.started_at = None, child.restarts + 1, now
        try:
            child.proc = child.start()
        except Exception as exc:  # not started, or not ready: counted as one more exit
            child.proc = None
            self.say(f"{child.label} could not be started: {exc}")
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
        child.backoff = min(child.backoff * 2, MAX_BACKOFF_S)
        failing = len(child.exits) == FAILING_EXITS and now - child.exits[0] < FAILING_WINDOW_S
        if failing and not child.reported:
            child.reported, child.backoff = True, MAX_BACKOFF_S
            self.say(
                f"{child.label} keeps failing: {FAILING_EXITS} exits in "
                f"{now - child.exits[0]:.0f} s; trying again every {MAX_BACKOFF_S:.0f} s while "
                f"the rest goes on serving; see {self.folder / 'logs' / child.label}.log"
            )

    def _check_back(self, child: Child, now: float) -> None:
        if child.health_url is None or processes.answers(child.health_url):
            assert child.down_since is not None
            self.say(f"{child.label} is back ({now - child.down_since:.2f} s after it exited)")
            child.down_since = None

    def write(self) -> None:
        """processes.json as things are (pid null for a process that is down or stopped)."""
        table = {
            label: {
                "pid": c.proc.pid if c.alive() and c.proc else None,
                "port": c.port,
                "restarts": c.restarts,
            }
            for label, c in self.children.items()
        }
        file = self.folder / "processes.json"
        partial = file.with_suffix(".json.partial")
        partial.write_text(json.dumps(table, indent=2) + "\n")
        partial.replace(file)
