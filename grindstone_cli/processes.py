"""The services of a run as child processes: started, waited for, watched and stopped."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from common import embedded

ROOT = Path(__file__).resolve().parent.parent


class Service:
    def __init__(
        self,
        name: str,
        env: dict[str, str],
        health_url: str | None,
        label: str = "",
        port: int | None = None,
    ) -> None:
        self.name = name
        self.label = label or name  # names the log: one per replica
        self.env = env
        self.health_url = health_url
        self.port = port  # an HTTP service's own: a restart listens there again
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, logs: Path) -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", f"services.{self.name}"]
        self.proc = embedded.spawn(argv, logs / f"{self.label}.log", env=self.env, cwd=ROOT)
        return self.proc

    def starter(self, logs: Path) -> Callable[[], subprocess.Popen[bytes]]:
        """Start it again, the same way (same port, same log)."""
        return lambda: self.start(logs)

    def wait_ready(self, timeout: float = 30.0) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with status {self.proc.returncode}")
            if self.health_url is None or answers(self.health_url):
                return
            time.sleep(0.05)
        raise TimeoutError(f"{self.name} was not ready after {timeout:.0f} s")


def answers(url: str) -> bool:
    """Does the health URL say 200?"""
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as response:
        return bool(response.status == 200)
    return False


def run_once(argv: list[str], env: dict[str, str]) -> None:
    """A set-up step (schema, curriculum): its output shows only when it fails."""
    done = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[1:])} failed:\n{done.stdout}{done.stderr}")


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        embedded.stop(proc)
        end_group(proc)


def end_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill what is left of a stopped process's group (the leader is gone already)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
