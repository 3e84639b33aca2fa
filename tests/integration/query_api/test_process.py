"""`python -m services.query_api` serves HTTP on QUERY_API_HOST:QUERY_API_PORT."""

import asyncio
import os
import signal
import sys
import uuid
from pathlib import Path

import httpx

from common.embedded import free_port
from tests.integration.query_api.conftest import bearer

ROOT = Path(__file__).resolve().parents[3]
PATIENCE_S = 30.0


async def wait_for_health(http: httpx.AsyncClient) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PATIENCE_S
    while True:
        try:
            if (await http.get("/api/health")).status_code == 200:
                return
        except httpx.TransportError:
            assert loop.time() < deadline, "the query API did not come up"
        await asyncio.sleep(0.1)


async def test_the_query_api_process_answers_and_stops_on_sigterm(service_env, pool):
    port = free_port()
    env = {**os.environ, **service_env, "QUERY_API_PORT": str(port)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "services.query_api",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            await wait_for_health(http)
            progress = await http.get("/api/progress", headers=bearer(uuid.uuid4()))
            unknown = await http.get("/api/nothing-here", headers=bearer(uuid.uuid4()))
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await proc.communicate()
    assert progress.json() == {"points": 0, "completed": [], "next_assignment_id": None}
    assert (unknown.status_code, unknown.json()["error"]) == (404, "not_found")
    # uvicorn shuts down cleanly, then re-raises the signal it got
    assert proc.returncode in (0, -signal.SIGTERM), err.decode()
    assert b"Application shutdown complete" in err
