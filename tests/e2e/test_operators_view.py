"""What an operator sees of a running system: `grindstone status`, `grindstone events tail -f`
and every process's /metrics, after real traffic through nginx."""

import asyncio
import contextlib
import json
import subprocess
import sys
import uuid

import httpx
import pytest

from common import embedded, systemstate
from common import nats as gnats
from events import subjects
from tests import metrics_format, systems
from tests.e2e.conftest import curriculum_record

WAIT_S = 60.0
METRICS_PORTS = {"grader": embedded.free_port(), "projector": embedded.free_port()}


async def _no_leftovers(nats_url: str) -> None:
    """Dead letters and heartbeats other modules' systems left on the shared server."""
    nc = await gnats.connect(nats_url, "tests-setup")
    js = nc.jetstream()
    with contextlib.suppress(Exception):
        await js.purge_stream(subjects.DEAD_LETTER_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_key_value(systemstate.GRADERS_BUCKET)
    await nc.close()


@pytest.fixture(scope="module")
def system(servers):
    with pytest.MonkeyPatch.context() as env:
        for name, port in METRICS_PORTS.items():
            env.setenv(f"{name.upper()}_METRICS_PORT", str(port))
        asyncio.run(_no_leftovers(servers.nats_url))
        with systems.running(servers, "operators", valkey_db=1) as running:
            yield running


@pytest.fixture
async def student(system):
    """A student with one passed submission, through nginx: (client, user id, submission)."""
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        token = (await http.post("/api/sessions")).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        yield http, token.split(".")[1], await submit_and_wait(http)


async def submit_and_wait(http: httpx.AsyncClient) -> dict:
    assignment = (await http.get("/api/assignments")).json()[0]
    # code of its own: identical code would reuse a verdict, without a grading
    code = f"# {uuid.uuid4()}\n" + curriculum_record(assignment["title"])["solution"]
    posted = await http.post(
        "/api/submissions", json={"assignment_id": assignment["id"], "code": code}
    )
    assert posted.status_code == 202, posted.text
    async with asyncio.timeout(WAIT_S):
        while True:
            read = await http.get(f"/api/submissions/{posted.json()['id']}")
            if read.json()["status"] not in ("pending", "grading"):
                return read.json()
            await asyncio.sleep(0.1)


async def grindstone(system, *argv: str) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "grindstone_cli", *argv,
        env=system.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    assert not err or proc.returncode, err.decode()
    return int(proc.returncode or 0), out.decode()


async def settled_status(system) -> dict:
    """`status --json` once the projector has applied everything and a grader is seen."""
    async with asyncio.timeout(WAIT_S):
        while True:
            code, out = await grindstone(system, "status", "--json")
            state = json.loads(out)
            if state["graders"] and all(p["lag_events"] == 0 for p in state["projections"]):
                return {"code": code, **state}
            await asyncio.sleep(0.2)


async def test_status_shows_graders_lag_and_throughput_and_exits_0(system, student) -> None:
    state = await settled_status(system)
    assert state["code"] == 0 and state["problems"] == []
    assert [(g["slots"], g["busy"]) for g in state["graders"]] == [(8, 0)]
    assert state["graded_last_minute"] >= 1
    events = next(s for s in state["streams"] if s["name"] == "EVENTS")
    assert {p["checkpoint"] for p in state["projections"]} == {events["last_seq"]}
    assert state["cache_checkpoint"] == events["last_seq"]
    grader = next(c for c in events["consumers"] if c["name"] == subjects.GRADER_CONSUMER)
    assert (grader["pending"], grader["ack_pending"]) == (0, 0)
    code, text = await grindstone(system, "status")
    assert code == 0
    assert "Graders alive: 1" in text and "8 slots" in text.replace("of 8 slots", "8 slots")
    assert text.rstrip().endswith("OK: nothing needs a person.")


async def test_events_tail_follows_a_students_new_submission(system, student) -> None:
    http, user_id, first = student
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "grindstone_cli", "events", "tail", "-f", "--json",
        "--student", user_id, env=system.env, stdout=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    try:
        async with asyncio.timeout(WAIT_S):
            seen = [json.loads(await proc.stdout.readline()) for _ in range(3)]
        assert [r["type"] for r in seen] == [
            "SubmissionCreated", "SubmissionGradingStarted", "SubmissionGraded",
        ]  # fmt: skip
        assert {r["payload"]["submission_id"] for r in seen} == {first["id"]}
        second = await submit_and_wait(http)
        async with asyncio.timeout(WAIT_S):
            later = [json.loads(await proc.stdout.readline()) for _ in range(3)]
        assert [r["payload"]["submission_id"] for r in later] == [second["id"]] * 3
        assert later[-1]["payload"]["status"] == "passed"
    finally:
        proc.terminate()
        await proc.wait()


def scrape(port: int) -> metrics_format.Series:
    answer = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    return metrics_format.parse(answer.text)[1]


async def test_every_process_serves_its_named_series_after_traffic(system, student) -> None:
    await settled_status(system)
    value = metrics_format.value
    ports = {name: reps[0][0] for name, reps in system.replicas.items()}
    command = scrape(ports["command_api"])
    assert value(command, "grindstone_http_requests_total",
                 service="command_api", route="/api/submissions", status="202") >= 1  # fmt: skip
    assert value(command, "grindstone_http_request_duration_seconds_count",
                 service="command_api", route="/api/submissions") >= 1  # fmt: skip
    query = scrape(ports["query_api"])
    assert value(query, "grindstone_http_requests_total",
                 service="query_api", route="/api/assignments", status="200") >= 1  # fmt: skip
    push = scrape(ports["push"])
    assert value(push, "grindstone_http_requests_total", service="push", route="/ws/health") >= 1
    grader = scrape(METRICS_PORTS["grader"])
    assert value(grader, "grindstone_grader_graded_total", status="passed") >= 1
    assert value(grader, "grindstone_grader_grading_seconds_count", status="passed") >= 1
    assert ("grindstone_consumer_pending",
            (("stream", "EVENTS"), ("consumer", subjects.GRADER_CONSUMER))) in grader  # fmt: skip
    projector = scrape(METRICS_PORTS["projector"])
    assert value(projector, "grindstone_projector_events_total") >= 3
    assert value(projector, "grindstone_projector_batch_seconds_count") >= 1
    lags = [labels for name, labels in projector if name == "grindstone_projector_lag_events"]
    assert len(lags) >= 3


async def test_nginx_does_not_show_metrics_to_the_public(system) -> None:
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        for path in ("/metrics", "/api/metrics", "/ws/metrics", "/api/command/metrics"):
            answer = await http.get(path)
            assert answer.status_code in (404, 400, 405), (path, answer.status_code)
            assert "# TYPE" not in answer.text


async def test_a_dead_letter_or_set_aside_event_makes_status_exit_1(system, student) -> None:
    nc = await gnats.connect(system.urls["nats_url"], "tests")
    js = nc.jetstream()
    try:
        await js.publish("grading.dead.u.s", b"{}", stream=subjects.DEAD_LETTER_STREAM)
        code, text = await grindstone(system, "status")
        assert code == 1
        assert "Needs a person: 1 dead-lettered grading job(s) in GRADING_DEAD" in text
        await js.purge_stream(subjects.DEAD_LETTER_STREAM)
        assert (await grindstone(system, "status"))[0] == 0
    finally:
        await nc.close()
