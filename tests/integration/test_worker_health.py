"""GET /health on the workers' metrics port, as the probes of a container deployment read it,
against real worker processes: 200 while the worker's loop runs on a live NATS connection, 503
while the connection is gone, 200 again once it is back."""

import asyncio
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from common import embedded
from tests.integration.test_metrics_listener import fetch

ROOT = Path(__file__).resolve().parents[2]
PATIENCE_S = 30.0


class Nats:
    """A NATS server of this test's own, to stop and start again on the same port and data."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, embedded.free_port()
        self.proc, self.url = embedded.start_nats(folder, self.port)

    def stop(self) -> None:
        embedded.stop(self.proc)

    def start(self) -> None:
        self.proc, self.url = embedded.start_nats(self.folder, self.port)


@pytest.fixture
def nats(tmp_path: Path) -> Iterator[Nats]:
    server = Nats(tmp_path / "nats")
    try:
        yield server
    finally:
        server.stop()


async def start_worker(name: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", f"services.{name}"),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,  # a few log lines: the pipe holds them
    )


async def health_becomes(port: int, wanted: int, proc: asyncio.subprocess.Process) -> dict:
    """The body of the first /health answer with status `wanted`."""
    deadline = asyncio.get_running_loop().time() + PATIENCE_S
    while True:
        assert proc.returncode is None, "the worker exited"
        try:
            status, _, body = await fetch(port, "GET /health HTTP/1.1\r\n\r\n")
        except OSError:  # not listening yet
            status, body = 0, ""
        if status == wanted:
            return json.loads(body)
        assert asyncio.get_running_loop().time() < deadline, f"/health stayed {status}"
        await asyncio.sleep(0.1)


async def stop_worker(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGTERM)
    _, log = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, log.decode()


@pytest.mark.parametrize("worker", ["grader", "projector"])
async def test_a_worker_is_healthy_only_while_connected_to_nats(worker, nats, service_env):
    port = embedded.free_port()
    prefix = worker.upper()
    env = {**service_env, "NATS_URL": nats.url, f"{prefix}_METRICS_PORT": str(port)}
    proc = await start_worker(worker, {**env, "GRADER_CONCURRENCY": "1"})
    try:
        assert await health_becomes(port, 200, proc) == {"ok": True}
        status, _, _ = await fetch(port, "GET /metrics HTTP/1.1\r\n\r\n")
        assert status == 200
        nats.stop()
        gone = await health_becomes(port, 503, proc)
        assert gone["error"] == "unavailable" and "NATS" in gone["detail"]
        nats.start()
        assert await health_becomes(port, 200, proc) == {"ok": True}
    finally:
        await stop_worker(proc)
