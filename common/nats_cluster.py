"""An embedded three-node NATS cluster with JetStream, for the production topology on one
machine: each node its own client, cluster and monitoring port and data folder, its config
rendered from infra/nats/cluster.conf.template, all admitting USER with the cluster folder's
generated password (common/credentials.py)."""

import contextlib
import string
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from common import credentials, embedded
from common.credentials import USER

TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "nats" / "cluster.conf.template"
SIZE = 3
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Node:
    label: str  # "nats", "nats.2", "nats.3": the supervisor's label
    name: str  # "nats-1", ...: the server name (stable: JetStream's Raft identity) and folder
    port: int  # clients
    cluster_port: int  # routes between the nodes
    monitor_port: int  # GET /healthz


def plan(size: int = SIZE) -> list[Node]:
    """`size` nodes on free loopback ports."""
    ports = [embedded.free_port() for _ in range(3 * size)]
    labels = ["nats", *(f"nats.{i}" for i in range(2, size + 1))]
    return [
        Node(label, f"nats-{i + 1}", *ports[3 * i : 3 * i + 3]) for i, label in enumerate(labels)
    ]


def render(folder: Path, node: Node, nodes: list[Node]) -> Path:
    """`folder/<name>/nats.conf` (0600: it holds the password) for `node` of `nodes`."""
    secret = credentials.password(folder)
    routes = (f'"nats-route://{USER}:{secret}@{HOST}:{n.cluster_port}"' for n in nodes)
    values = {
        "NATS_SERVER_NAME": node.name,
        "NATS_HOST": HOST,
        "NATS_PORT": node.port,
        "NATS_CLUSTER_PORT": node.cluster_port,
        "NATS_MONITOR_PORT": node.monitor_port,
        "NATS_USER": USER,
        "NATS_PASSWORD": secret,
        "NATS_STORE_DIR": folder / node.name / "jetstream",
        "NATS_ROUTES": ", ".join(routes),
    }
    config = folder / node.name / "nats.conf"
    credentials.write_private(config, string.Template(TEMPLATE.read_text()).substitute(values))
    return config


def url(folder: Path, nodes: list[Node]) -> str:
    """NATS_URL naming every node, with the password (common/nats.connect takes the list)."""
    secret = credentials.password(folder)
    return ",".join(f"nats://{USER}:{secret}@{HOST}:{n.port}" for n in nodes)


def start_node(folder: Path, node: Node, nodes: list[Node]) -> subprocess.Popen[bytes]:
    """The node, again after it stopped the same way (same ports, same data); back once its
    client port answers (a lone node cannot be healthy until a quorum is back)."""
    config = render(folder, node, nodes)
    proc = embedded.spawn(
        [str(embedded.BIN / "nats-server"), "-c", str(config)], config.parent / "nats.log"
    )
    try:
        embedded.wait_for_port(node.port, proc, f"nats-server {node.label}")
    except BaseException:
        embedded.stop(proc)
        raise
    return proc


def healthy(node: Node) -> bool:
    """Does the node say JetStream is current (a meta leader, its streams caught up)?"""
    health = f"http://{HOST}:{node.monitor_port}/healthz"
    with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=1) as answer:
        return bool(answer.status == 200)
    return False


def wait_healthy(nodes: list[Node], procs: list[subprocess.Popen[bytes]]) -> None:
    """Until every node is healthy: the cluster has formed and elected its meta leader."""
    deadline = time.monotonic() + embedded.READY_TIMEOUT_S
    waiting = list(nodes)
    while waiting:
        if any(proc.poll() is not None for proc in procs):
            raise RuntimeError("a NATS cluster node exited before the cluster formed")
        if time.monotonic() > deadline:
            names = ", ".join(n.label for n in waiting)
            raise TimeoutError(
                f"NATS cluster not healthy after {embedded.READY_TIMEOUT_S:.0f} s: {names}"
            )
        waiting = [n for n in waiting if not healthy(n)]
        time.sleep(0.05)
