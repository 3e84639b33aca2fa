"""The supervisor on real processes: restarts with doubling backoff, reports a process that keeps
failing once, leaves the others alone, and names the live pids in processes.json."""

import json
import re
import signal
import subprocess
import time
from pathlib import Path

from common import embedded
from grindstone_cli import processes, supervisor

FIRST_BACKOFF_S = 0.1
DEADLINE_S = 30.0  # against a hang only


def steady(folder: Path) -> subprocess.Popen[bytes]:
    return embedded.spawn(["sleep", "600"], folder / "steady.log")


def failing() -> subprocess.Popen[bytes]:
    return subprocess.Popen(["sh", "-c", "exit 3"])


def watch_until(watch: supervisor.Supervisor, folder: Path, text: str) -> str:
    log = folder / "logs" / "supervisor.log"
    deadline = time.monotonic() + DEADLINE_S
    with watch.watching():
        while text not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline, f"no {text!r} in the log"
            time.sleep(0.05)
    return log.read_text()


def test_a_process_that_keeps_failing_is_reported_once_and_the_others_go_on(tmp_path: Path):
    watch = supervisor.Supervisor(tmp_path, first_backoff_s=FIRST_BACKOFF_S)
    calm = steady(tmp_path)
    watch.adopt("calm", calm, lambda: steady(tmp_path), port=4321)
    watch.adopt("flaky", failing(), failing)
    try:
        log = watch_until(watch, tmp_path, "flaky keeps failing")
        table = json.loads((tmp_path / "processes.json").read_text())
    finally:
        processes.stop_all(watch.procs())
    delays = re.findall(r"flaky exited \(status 3\); restarting in ([\d.]+) s", log)
    assert delays == ["0.1", "0.2", "0.4", "0.8", "1.6"]  # doubling, then reported
    assert [f"(restart #{n})" in log for n in range(1, 6)] == [True] * 5
    assert log.count("keeps failing") == 1
    assert "calm" not in log  # the others go on, untouched
    assert table["calm"] == {"pid": calm.pid, "port": 4321, "restarts": 0}
    assert table["flaky"]["restarts"] == 4
    assert calm.poll() is not None  # stopped with the rest


def test_a_process_that_cannot_be_started_again_is_retried_and_counted(tmp_path: Path):
    def gone() -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(tmp_path / "no-such-binary")])

    watch = supervisor.Supervisor(tmp_path, first_backoff_s=FIRST_BACKOFF_S)
    watch.adopt("gone", failing(), gone)
    log = watch_until(watch, tmp_path, "gone keeps failing")
    assert "gone could not be started: [Errno 2]" in log
    assert "gone exited (status None); restarting in 0.2 s (restart #2)" in log


def test_a_killed_process_is_started_again_and_dies_with_the_supervisor(tmp_path: Path):
    watch = supervisor.Supervisor(tmp_path, first_backoff_s=FIRST_BACKOFF_S)
    first = steady(tmp_path)
    watch.adopt("calm", first, lambda: steady(tmp_path))
    try:
        first.kill()
        log = watch_until(watch, tmp_path, "calm is back")
        table = json.loads((tmp_path / "processes.json").read_text())
        (again,) = watch.procs()
        # started from the supervisor's thread: its parent-death signal comes when that ends
        assert again.wait(timeout=DEADLINE_S) == -signal.SIGTERM
    finally:
        processes.stop_all(watch.procs())
    assert "calm exited (status -9); restarting in 0.1 s (restart #1)" in log
    assert table["calm"] == {"pid": again.pid, "port": None, "restarts": 1}
