"""The commit issue 12 starts from (03238b7), from a clone of its own with its own `just
setup` (venv, web/dist), run in its production configuration by its own `grindstone up --prod`:
the same-run baseline of every figure in PERFORMANCE.md."""

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common import embedded
from grindstone_cli import processes

COMMIT = "03238b7"
CLONE = processes.ROOT / ".grindstone" / "bench" / f"start-{COMMIT}"
TRIVIAL = processes.ROOT / "bench" / "trivial.jsonl"
# rate limits off for a load test (README, Limits)
UNLIMITED = {
    "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
    "COMMAND_API_SUBMISSIONS_PER_ADDRESS_PER_MINUTE": "0",
    "COMMAND_API_SESSIONS_PER_ADDRESS": "0",
    "LOG_LEVEL": "WARNING",
}


class StartCommit:
    def __init__(self, url: str, secret: str, assignment_id: str) -> None:
        self.url = url
        self.secret = secret
        self.assignment_id = assignment_id


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed in {cwd}:\n{done.stdout}{done.stderr}")
    return done.stdout


def set_up() -> Path:
    """The clone, its venv and its built site (kept between runs: the commit does not change)."""
    if not (CLONE / "web" / "dist" / "index.html").exists():
        CLONE.parent.mkdir(parents=True, exist_ok=True)
        if not (CLONE / ".git").exists():
            _run(["git", "clone", "-q", str(processes.ROOT), str(CLONE)], processes.ROOT)
        _run(["git", "checkout", "-q", COMMIT], CLONE)
        uv_env = {**os.environ, "UV_NATIVE_TLS": "1", "UV_PYTHON_DOWNLOADS": "never"}
        _run(["python3", "-m", "uv", "sync", "--frozen", "--quiet"], CLONE, uv_env)
        _run(["npm", "ci", "--prefix", "web", "--no-audit", "--no-fund"], CLONE)
        _run(["npm", "--prefix", "web", "run", "build", "--silent"], CLONE)
    return CLONE


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the start commit's grindstone up exited ({proc.returncode})")
        if all(processes.answers(f"{url}{path}") for path in ("/", "/api/health", "/ws/health")):
            return
        time.sleep(0.5)
    raise TimeoutError(f"the start commit was not up after {timeout_s:.0f} s")


@contextlib.contextmanager
def running(replicas: int = 2) -> Iterator[StartCommit]:
    clone = set_up()
    python = str(clone / ".venv" / "bin" / "python")
    port = embedded.free_port()
    with tempfile.TemporaryDirectory(prefix="grindstone-start-commit-") as folder:
        Path(folder).chmod(0o755)  # PostgreSQL runs as an unprivileged user
        data = Path(folder) / "data"
        env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
        env.pop("VALKEY_URL", None)
        env.pop("GRINDSTONE_SECRET", None)
        env.update(UNLIMITED, GRINDSTONE_PORT=str(port), GRINDSTONE_DATA=str(data))
        env.pop("VIRTUAL_ENV", None)
        argv = [python, "-m", "grindstone_cli", "up", "--prod", "--replicas", str(replicas)]
        proc = embedded.spawn(argv, Path(folder) / "up.log", cwd=clone, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, proc)
            load = [python, "-m", "grindstone_cli", "assignments", "load", str(TRIVIAL), "--json"]
            out = _run(load, clone, env)
            assignment_id = json.loads(out.strip().splitlines()[-1])["assignment_id"]
            yield StartCommit(url, (data / "secret").read_text().strip(), assignment_id)
        finally:
            proc.send_signal(signal.SIGINT)  # its Ctrl+C: it stops what it started
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
            processes.end_group(proc)
