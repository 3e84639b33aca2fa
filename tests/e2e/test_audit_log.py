"""A running system's event log verifies: the projector signs checkpoints as students submit,
`grindstone audit verify` finds the log clean, and names a message deleted behind its back."""

import asyncio
import json
import subprocess
import sys

import httpx
import pytest

from common import nats as gnats
from events import subjects
from tests import systems
from tests.e2e.conftest import curriculum_record

WAIT_S = 60.0


@pytest.fixture(scope="module")
def system(servers):
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PROJECTOR_CHECKPOINT_EVERY_S", "0.2")  # soon after each change
        with systems.running(servers, "audit", valkey_db=1) as running:
            yield running


async def grindstone(system, *argv: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "grindstone_cli", *argv,
        env=system.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    return int(proc.returncode or 0), out.decode(), err.decode()


async def graded_submission(system) -> None:
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        token = (await http.post("/api/sessions")).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        assignment = (await http.get("/api/assignments")).json()[0]
        code = curriculum_record(assignment["title"])["solution"]
        body = {"assignment_id": assignment["id"], "code": code}
        made = (await http.post("/api/submissions", json=body)).json()
        async with asyncio.timeout(WAIT_S):
            while True:
                read = (await http.get(f"/api/submissions/{made['id']}")).json()
                if read["status"] not in ("pending", "grading"):
                    return
                await asyncio.sleep(0.1)


async def checkpointed_to_the_end(system) -> int:
    """The stream's last seq, once the projector signed a checkpoint there."""
    nc = await gnats.connect(system.env["NATS_URL"], "tests")
    try:
        js = nc.jetstream()
        async with asyncio.timeout(WAIT_S):
            while True:
                last = (await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq
                code, out, _ = await grindstone(system, "audit", "checkpoints", "--json")
                seqs = [json.loads(line)["stream_seq"] for line in out.splitlines()]
                if code == 0 and seqs and seqs[-1] == last:
                    return last
                await asyncio.sleep(0.2)
    finally:
        await nc.close()


async def test_the_projector_signs_checkpoints_and_verify_names_a_deleted_event(system):
    await graded_submission(system)
    last = await checkpointed_to_the_end(system)

    clean = await grindstone(system, "audit", "verify")
    assert clean[0] == 0 and clean[1] == "", clean
    assert "clean" in clean[2]

    nc = await gnats.connect(system.env["NATS_URL"], "tests")
    await nc.jetstream().delete_msg(subjects.EVENTS_STREAM, last - 1)
    await nc.close()
    code, out, _ = await grindstone(system, "audit", "verify", "--json")
    found = [(f["seq"], f["kind"]) for f in json.loads(out)["findings"]]
    assert code == 1
    assert (last - 1, "removed") in found and (last, "checkpoint") in found
