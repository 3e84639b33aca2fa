"""The production NATS configuration (infra/nats/cluster.conf.template): three nodes form a
cluster here, an R3 stream gets a leader and two current replicas, and killing the leader's
node elects another while publishes go on."""

import asyncio
import contextlib
import subprocess
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import nats.errors
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import StreamInfo

from common import credentials, embedded, nats_cluster
from common import nats as gnats
from events import SubmissionDeleted
from grindstone_cli import servers, supervisor

STREAM = "CLUSTER_CHECK"
SUBJECT = "cluster.check"
SETTLE_S = 30.0  # bound on waiting for an election or catch-up (not asserted on)


class Cluster:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.nodes = nats_cluster.plan()
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def url(self) -> str:
        return nats_cluster.url(self.folder, self.nodes)

    def kill(self, server_name: str) -> None:
        proc = self.procs[next(n.label for n in self.nodes if n.name == server_name)]
        proc.kill()
        proc.wait()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(tmp_path)
    try:
        for node in running.nodes:
            running.procs[node.label] = nats_cluster.start_node(tmp_path, node, running.nodes)
        nats_cluster.wait_healthy(running.nodes, list(running.procs.values()))
        yield running
    finally:
        for proc in running.procs.values():
            embedded.stop(proc)


@pytest.fixture
async def cluster_js(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[JetStreamContext]:
    monkeypatch.setenv("NATS_REPLICAS", "3")  # as `grindstone up --prod` sets it
    nc: Client = await gnats.connect(cluster.url(), "tests-cluster")
    js = nc.jetstream()
    await js.add_stream(gnats.stream_config(STREAM, [f"{SUBJECT}.>"]))
    yield js
    with contextlib.suppress(Exception):
        await nc.close()


async def settled(js: JetStreamContext, leader_other_than: str | None = None) -> StreamInfo:
    """The stream's info once it has a leader (other than the one named) and two current
    replicas."""
    async with asyncio.timeout(SETTLE_S):
        while True:
            with contextlib.suppress(nats.errors.Error):
                info = await js.stream_info(STREAM)
                group = info.cluster
                if (
                    group is not None
                    and group.leader
                    and group.leader != leader_other_than
                    and len(group.replicas or []) == 2
                    and all(peer.current and not peer.offline for peer in group.replicas or [])
                ):
                    return info
            await asyncio.sleep(0.1)


async def test_an_r3_stream_gets_a_leader_and_two_current_replicas(cluster, cluster_js):
    info = await settled(cluster_js)
    assert info.config.num_replicas == 3
    assert info.cluster is not None
    names = {info.cluster.leader, *(peer.name for peer in info.cluster.replicas or [])}
    assert names == {node.name for node in cluster.nodes}


async def publish_until(js: JetStreamContext, stop: asyncio.Event, acked: list[int]) -> None:
    """Publish one message after another, each retried until acked (the same msg id: a retry
    the stream already holds is not stored twice)."""
    n = 0
    while not stop.is_set():
        n += 1
        while True:
            try:
                ack = await js.publish(
                    f"{SUBJECT}.{n}", b"x", timeout=1.0, headers={"Nats-Msg-Id": f"m{n}"}
                )
                acked.append(ack.seq)
                break
            except (nats.errors.Error, OSError):
                await asyncio.sleep(0.05)  # no leader yet, or the connection moved
        await asyncio.sleep(0.01)


async def more_acks(acked: list[int], count: int) -> None:
    async with asyncio.timeout(SETTLE_S):
        while True:
            if len(acked) >= count:
                return
            await asyncio.sleep(0.05)


async def test_killing_the_leader_node_elects_another_while_publishes_go_on(cluster, cluster_js):
    first = (await settled(cluster_js)).cluster
    assert first is not None and first.leader
    acked: list[int] = []
    stop = asyncio.Event()
    publishing = asyncio.create_task(publish_until(cluster_js, stop, acked))
    await more_acks(acked, 20)
    cluster.kill(first.leader)
    before = len(acked)
    async with asyncio.timeout(SETTLE_S):
        while True:
            with contextlib.suppress(nats.errors.Error):
                now = (await cluster_js.stream_info(STREAM)).cluster
                if now is not None and now.leader and now.leader != first.leader:
                    break
            await asyncio.sleep(0.1)
    await more_acks(acked, before + 20)  # publishes go on under the new leader
    stop.set()
    await publishing
    info = await cluster_js.stream_info(STREAM)
    assert info.cluster is not None and info.cluster.leader != first.leader
    assert info.state.messages == len(acked) == len(set(acked))  # each stored once


async def racing_appends(js: JetStreamContext, subject: str, count: int) -> list[BaseException]:
    """`count` appends at once to `subject` (gnats.append, as every service appends), each
    expecting it empty: what each refused one raised (the one taken is left out)."""

    async def one(n: int) -> None:
        event = SubmissionDeleted(
            occurred_at=datetime.now(UTC),
            submission_id=uuid4(),
            user_id=uuid4(),
            assignment_id=uuid4(),
        )
        await gnats.append(
            js, subject, event, msg_id=f"{subject}:{n}", expected_seq=0, new_subject=True
        )

    results = await asyncio.gather(*(one(n) for n in range(count)), return_exceptions=True)
    assert results.count(None) == 1  # exactly one append taken
    return [result for result in results if result is not None]


async def test_appends_racing_on_a_subject_lose_as_races_even_while_one_is_in_flight(
    cluster, cluster_js
):
    """On a cluster the leader refuses an expected-sequence append while another to the same
    subject is still in flight, with its own code (10164, not the lone server's 10071): it too
    is a lost race (gnats.ConcurrencyError), or a grader gives its job back for seconds and the
    command API answers a 500."""
    await settled(cluster_js)
    codes: list[int] = []
    for n in range(20):  # until the in-flight refusal was seen (here the first round has it)
        refused = await racing_appends(cluster_js, f"{SUBJECT}.race.{n}", 8)
        assert all(isinstance(exc, gnats.ConcurrencyError) for exc in refused), refused
        codes += [exc.__cause__.err_code for exc in refused]  # type: ignore[union-attr]
        if gnats.WRONG_LAST_SEQUENCE_IN_FLIGHT in codes:
            break
    assert gnats.WRONG_LAST_SEQUENCE_IN_FLIGHT in codes


def test_the_rendered_configs_route_to_every_node_and_keep_the_password_private(tmp_path):
    nodes = nats_cluster.plan()
    secret = credentials.password(tmp_path)
    for node in nodes:
        config = nats_cluster.render(tmp_path, node, nodes)
        text = config.read_text()
        assert config.stat().st_mode & 0o077 == 0
        assert f'server_name: "{node.name}"' in text and "$" not in text
        for other in nodes:
            assert (
                f"nats-route://{credentials.USER}:{secret}@127.0.0.1:{other.cluster_port}" in text
            )
    assert gnats.servers(nats_cluster.url(tmp_path, nodes)) == [
        f"nats://{credentials.USER}:{secret}@127.0.0.1:{node.port}" for node in nodes
    ]


def test_a_data_folder_keeps_the_kind_of_nats_its_read_models_follow(tmp_path):
    (tmp_path / "nats" / "jetstream").mkdir(parents=True)  # a single server's events
    watch = supervisor.Supervisor(tmp_path)
    with pytest.raises(servers.OtherTopology), servers.running(tmp_path, watch, {}, True):
        pass
    assert watch.children == {}  # refused before anything started
