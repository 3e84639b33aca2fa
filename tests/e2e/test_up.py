"""`grindstone up` on its own embedded servers: it serves one origin, keeps its data across
restarts, and Ctrl+C leaves no process behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from common import embedded

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90


def processes_of(folder: Path) -> list[int]:
    """Pids whose environment names this data folder: everything `up` started inherits it."""
    marker = f"GRINDSTONE_DATA={folder}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def start_up(folder: Path, port: int) -> tuple[subprocess.Popen[str], list[str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
    env.pop("VALKEY_URL", None)
    env.update(GRINDSTONE_DATA=str(folder), GRINDSTONE_PORT=str(port), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "grindstone_cli", "up"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT_S
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if "embedded servers started" in line:
            return proc, lines
    proc.kill()
    raise AssertionError("`grindstone up` did not come up:\n" + "".join(lines))


def stop_up(proc: subprocess.Popen[str]) -> str:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    return out


def test_up_serves_one_origin_keeps_data_and_leaves_nothing_behind(folder: Path):
    port = embedded.free_port()
    proc, lines = start_up(folder, port)
    base = f"http://127.0.0.1:{port}"
    assert any(base in line for line in lines)
    assert any("nats" in line and "database" in line and "valkey" in line for line in lines)
    with httpx.Client(base_url=base, timeout=10) as http:
        token = http.post("/api/sessions").json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        assignment = http.get("/api/assignments").json()[0]
        posted = http.post(
            "/api/submissions",
            json={"assignment_id": assignment["id"], "code": "print('hello')\n"},
            headers=auth,
        )
        assert posted.status_code == 202
        assert http.get("/").status_code == 200
    assert processes_of(folder), "the services carry the data folder in their environment"
    out = stop_up(proc)
    assert "Stopped every process" in out
    assert processes_of(folder) == []

    proc, _ = start_up(folder, port)  # the same folder again: the data is still there
    try:
        with httpx.Client(base_url=base, timeout=10) as http:
            again = http.get(f"/api/submissions/{posted.json()['id']}", headers=auth)
            assert again.status_code == 200
            assert again.json()["code"] == "print('hello')\n"
    finally:
        stop_up(proc)
    assert processes_of(folder) == []
