"""Faults under load (issue 12 item 4): in the production topology (two replicas of each HTTP
service behind nginx, two graders, a three-node NATS cluster with R3 streams), while students
submit at a steady pace, one command_api, one query_api and one push replica, then one grader,
then the NATS node leading the EVENTS stream are killed with SIGKILL. Every accepted
submission is graded exactly once and heard by its student (after a reconnect at most), none is
made twice for one Idempotency-Key, and from a second after a replica's death on, while it is
still down, no request through nginx fails."""

import asyncio
import contextlib
import socket
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import nats.errors
import pytest
import websockets
from nats.js.api import StreamInfo

from common import nats as gnats
from events import subjects
from grindstone_cli import stack
from tests import systems
from tests.conftest import Servers
from tests.e2e import steady_students, students
from tests.e2e.conftest import curriculum_record

STUDENTS = 24
PERIOD_S = 1.0  # each student submits once a second: about STUDENTS submissions/s
WARM_S = 3.0  # load before the first kill, every socket open
HOLD_S = 4.0  # the killed replicas stay down this long
NOTICE_S = 1.0  # nginx has this long to stop sending to a dead replica
GAP_S = 4.0  # between one kill and the next
AFTER_S = 5.0  # load after the last kill
REPLICAS = ("command_api", "query_api", "push")


@pytest.fixture(scope="module")
def system(servers: Servers) -> Iterator[stack.System]:
    """The production topology on the session's PostgreSQL and Valkey, with a NATS cluster of
    its own (the supervisor restarts its nodes)."""
    options = {"replicas": 2, "prod": True}
    with systems.running(servers, "faults", valkey_db=4, nats_cluster=True, **options) as running:
        yield running


def first_of(system: stack.System, kind: str) -> str:
    """The label of the first replica of a service (`command_api`, `push`, ...)."""
    return sorted(label for label in system.supervisor.children if label.startswith(kind))[0]


class Probes:
    """Requests through nginx to every kind of replica, each failure kept with its time."""

    def __init__(self, system: stack.System, token: str) -> None:
        self.system, self.token = system, token
        self.sent = 0
        self.failures: list[tuple[float, str]] = []

    async def run_until(self, until: float) -> None:
        auth = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(base_url=self.system.url, timeout=5, headers=auth) as http:
            while time.monotonic() < until:
                await self.check(http)

    async def check(self, http: httpx.AsyncClient) -> None:
        sent = time.monotonic()
        self.sent += 1
        try:
            async with httpx.AsyncClient(base_url=self.system.url, timeout=5) as fresh:
                session = await fresh.post("/api/sessions")  # command_api
            assert session.status_code == 201, session.text
            for path in ("/api/assignments", "/api/progress"):  # query_api
                answer = await http.get(path)
                assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text}"
            ws_url = self.system.url.replace("http", "ws", 1) + f"/ws?token={self.token}"
            async with websockets.connect(ws_url, open_timeout=5):  # push
                pass
        except (AssertionError, OSError, httpx.HTTPError, websockets.WebSocketException) as exc:
            self.failures.append((sent, f"{type(exc).__name__}: {exc}"))


async def replicas_down(system: stack.System, probes: Probes) -> tuple[float, float]:
    """Kill one replica of each HTTP service, hold them down, probe through nginx from
    NOTICE_S after the kill until just before they may start again: (from, until). The
    query_api and push replicas' ports refuse connections (a process died); the command_api's
    never answers them (its machine is gone)."""
    labels = [first_of(system, kind) for kind in REPLICAS]
    killed_at = time.monotonic()
    for label in labels:
        await asyncio.to_thread(system.supervisor.kill, label, HOLD_S)
    window = (killed_at + NOTICE_S, killed_at + HOLD_S - 0.1)
    with silent(system.supervisor.children[labels[0]].port):
        await asyncio.sleep(window[0] - time.monotonic())
        await probes.run_until(window[1])
    assert probes.failures == []
    assert probes.sent >= 1
    return window


@contextlib.contextmanager
def silent(port: int | None) -> Iterator[None]:
    """Connections to `port` neither accepted nor refused: a listener whose one-place queue is
    taken drops every SYN, as a machine that is gone would."""
    assert port is not None
    with socket.socket() as listener, socket.socket() as taker:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(0)
        taker.connect(("127.0.0.1", port))  # never accepted
        yield


async def kill(system: stack.System, label: str) -> None:
    await asyncio.to_thread(system.supervisor.kill, label)


async def events_stream(system: stack.System) -> StreamInfo:
    nc = await gnats.connect(system.urls["nats_url"], "tests-faults")
    try:
        return await nc.jetstream().stream_info(subjects.EVENTS_STREAM)
    finally:
        await nc.close()


async def events_leader(system: stack.System) -> str:
    """The label of the node leading the EVENTS stream, of three that each hold it (nodes are
    named nats-1, nats-2, ... in the order of System.nats_nodes: common/nats_cluster.plan)."""
    names = {f"nats-{i}": label for i, (label, _) in enumerate(system.nats_nodes, start=1)}
    info = await events_stream(system)
    assert len(names) == info.config.num_replicas == 3
    assert info.cluster is not None and info.cluster.leader in names, info.cluster
    return names[info.cluster.leader]


async def all_current(system: stack.System, timeout_s: float = 30.0) -> bool:
    """Has the EVENTS stream a leader and two current replicas again (the killed node caught
    up)?"""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(nats.errors.Error):
            group = (await events_stream(system)).cluster
            peers = (group.replicas or []) if group else []
            if group and group.leader and len(peers) == 2 and all(p.current for p in peers):
                return True
        await asyncio.sleep(0.2)
    return False


async def test_every_accepted_submission_is_graded_once_and_heard_while_processes_die(system):
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        token = (await http.post("/api/sessions")).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        assignment = (await http.get("/api/assignments", headers=auth)).json()[0]
    code = curriculum_record(assignment["title"])["solution"]
    crowd = await steady_students.new_students(system.url, STUDENTS, assignment, code)
    stop = asyncio.Event()
    running = [asyncio.create_task(s.run(stop, period_s=PERIOD_S)) for s in crowd]
    probes = Probes(system, token)
    async with asyncio.timeout(60):  # every socket open: the push kill cuts some of them
        await asyncio.gather(*(s.connected.wait() for s in crowd))
    await asyncio.sleep(WARM_S)
    kills = {"replicas": time.monotonic()}
    window = await replicas_down(system, probes)
    await asyncio.sleep(GAP_S)
    kills["grader"] = time.monotonic()
    await kill(system, system.graders[0])
    await asyncio.sleep(GAP_S)
    leader = await events_leader(system)
    kills["NATS leader"] = time.monotonic()
    await kill(system, leader)
    await asyncio.sleep(AFTER_S)
    stop.set()
    await asyncio.gather(*running)  # each finishes the submission it was on, heard

    for kind in REPLICAS:  # down through the whole window: the probes saw the rest alone
        assert system.supervisor.children[first_of(system, kind)].started_at > window[1]
    during = [t for s in crowd for t in s.sent if window[0] <= t < window[1]]
    failed = [(s.name, f) for s in crowd for t, f in s.failures if window[0] <= t < window[1]]
    assert during and failed == []  # nor did students' submits meanwhile
    assert any(s.opened > 1 for s in crowd)  # the push kill cut sockets: they reconnected
    await check_graded_once_and_heard(system, crowd)
    # and nothing else fell over: no grader, projector or push crashed on the NATS failover
    killed = {first_of(system, kind) for kind in REPLICAS} | {system.graders[0], leader}
    restarted = {label for label, c in system.supervisor.children.items() if c.restarts}
    report(system, crowd, probes, kills)
    assert restarted == killed, restarted - killed


async def check_graded_once_and_heard(
    system: stack.System, crowd: list[steady_students.SteadyStudent]
) -> None:
    nats_url = system.urls["nats_url"]
    accepted = [sid for s in crowd for sid in s.accepted]
    assert len(accepted) >= STUDENTS * 2
    for student in crowd:
        assert set(student.accepted) <= student.heard, student.name  # every verdict reached it
        assert all(len(ids) == 1 for ids in student.keys.values()), student.keys  # one per key
        made = await steady_students.created_ids(nats_url, student.user_id)
        assert sorted(made) == sorted(student.accepted), student.name  # none lost, none twice
    counts = await students.graded_counts(nats_url, accepted)
    assert set(counts.values()) == {1}, {sid: n for sid, n in counts.items() if n != 1}
    assert await asyncio.to_thread(still_down, system) == []  # every killed one came back
    assert await all_current(system)


def still_down(system: stack.System, timeout_s: float = 30.0) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while True:
        down = [label for label, c in system.supervisor.children.items() if not c.alive()]
        if not down or time.monotonic() > deadline:
            return down
        time.sleep(0.1)


def report(
    system: stack.System,
    crowd: list[steady_students.SteadyStudent],
    probes: Probes,
    kills: dict[str, float],
) -> None:
    made = sum(len(s.accepted) for s in crowd)
    retried = Counter(f.split(" ", 1)[0] for s in crowd for _, f in s.failures)
    reconnected = sum(s.opened > 1 for s in crowd)
    restarts = {label: c.restarts for label, c in system.supervisor.children.items() if c.restarts}
    print(
        f"\n{made} submissions from {len(crowd)} students graded once and heard; "
        f"submit attempts retried: {dict(retried)}; {reconnected} students' sockets reconnected; "
        f"{probes.sent} probe rounds while replicas were down, none failed; restarts: {restarts}"
    )
    print(f"submits failing after each kill (seconds after it): {failing_after(crowd, kills)}")


def failing_after(
    crowd: list[steady_students.SteadyStudent], kills: dict[str, float]
) -> dict[str, str]:
    """For each kill, from when to when after it students' submit attempts failed (an attempt
    counts by the time it was sent: one in flight at a kill counts with the kill before)."""
    times = sorted(t for s in crowd for t, _ in s.failures)
    ends = [*list(kills.values())[1:], float("inf")]
    spans = {}
    for (name, at), end in zip(kills.items(), ends, strict=True):
        mine = [t - at for t in times if at <= t < end]
        spans[name] = f"{mine[0]:.1f}-{mine[-1]:.1f} ({len(mine)})" if mine else "none"
    return spans
