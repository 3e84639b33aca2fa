"""The servers of a run: those named by NATS_URL / DATABASE_URL / VALKEY_URL, or embedded ones
that the run's supervisor restarts on the same port and data folder, each requiring the
password generated into its folder (the URLs carry it). With `nats_cluster`, the embedded NATS
is a three-node cluster (common/nats_cluster.py), its nodes labelled nats, nats.2, nats.3."""

import contextlib
import os
import subprocess
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from common import credentials, embedded, nats_cluster
from grindstone_cli import processes, supervisor

Start = Callable[[Path, int], embedded.Started]
KINDS: dict[str, tuple[str, Start]] = {
    "nats_url": ("NATS_URL", embedded.start_nats),
    "database_url": ("DATABASE_URL", embedded.start_postgres),
    "valkey_url": ("VALKEY_URL", embedded.start_valkey),
}
CLUSTER_FOLDER = "nats-cluster"  # apart from a lone server's "nats": not the same events


class OtherTopology(Exception):
    """The data folder's embedded NATS was a lone server and is now asked to be the cluster (or
    the reverse): its database's read models follow the other one's events."""


@dataclass
class Running:
    urls: dict[str, str] = field(default_factory=dict)  # {field: url}
    started: list[str] = field(default_factory=list)  # the embedded servers, fit to print
    labels: list[str] = field(default_factory=list)  # theirs in the supervisor's table
    nats_nodes: list[nats_cluster.Node] = field(default_factory=list)  # when a cluster


@contextlib.contextmanager
def running(
    folder: Path,
    watch: supervisor.Supervisor,
    env: Mapping[str, str] = os.environ,
    nats_cluster: bool = False,
) -> Iterator[Running]:
    """The servers, embedded ones started where no URL is given and stopped on exit."""
    if not env.get("NATS_URL"):
        _refuse_other_topology(folder, nats_cluster)
    run = Running()
    try:
        for key, (variable, start) in KINDS.items():
            if env.get(variable):
                run.urls[key] = env[variable]
            elif key == "nats_url" and nats_cluster:
                _start_cluster(folder / CLUSTER_FOLDER, watch, run)
            else:
                _start_one(folder, key, start, watch, run)
        yield run
    finally:
        processes.stop_all(watch.procs(run.labels))
        watch.write()  # the run's last word: nothing of it is live


def _refuse_other_topology(folder: Path, cluster: bool) -> None:
    lone, other = folder / "nats" / "jetstream", folder / CLUSTER_FOLDER
    if (lone if cluster else other).exists():
        kind = "a single NATS server (grindstone up)" if cluster else "the NATS cluster (--prod)"
        raise OtherTopology(
            f"{folder} holds the events of {kind}; its read models follow those events. Use "
            "another data folder for this run: GRINDSTONE_DATA=<folder> (`just prod` uses "
            ".grindstone/prod)."
        )


def _start_one(
    folder: Path, key: str, start: Start, watch: supervisor.Supervisor, run: Running
) -> None:
    # one after the other, from this thread: a child's parent-death signal fires when the
    # *thread* that started it ends, so servers are not started from worker threads
    name, port = key.removesuffix("_url"), embedded.free_port()
    proc, run.urls[key] = start(folder / name, port)
    watch.adopt(name, proc, _again(start, folder / name, port), port=port)
    run.labels.append(name)
    run.started.append(f"{name} ({credentials.redact(run.urls[key])})")  # no password


def _start_cluster(folder: Path, watch: supervisor.Supervisor, run: Running) -> None:
    """Three nodes, back (after a restart) once their client port answers, and healthy again
    (caught up with the others) by the supervisor's health check."""
    nodes = nats_cluster.plan()
    for node in nodes:
        proc = nats_cluster.start_node(folder, node, nodes)
        health = f"http://{nats_cluster.HOST}:{node.monitor_port}/healthz"
        start = _node_again(folder, node, nodes)
        watch.adopt(node.label, proc, start, health, node.port)
        run.labels.append(node.label)
    nats_cluster.wait_healthy(nodes, watch.procs(run.labels))
    run.nats_nodes = nodes
    run.urls["nats_url"] = nats_cluster.url(folder, nodes)
    run.started.append(f"nats cluster ({credentials.redact(run.urls['nats_url'])})")


def _again(start: Start, data: Path, port: int) -> Callable[[], subprocess.Popen[bytes]]:
    """Start it again on its port and data folder; back once it answers."""
    return lambda: start(data, port)[0]


def _node_again(
    folder: Path, node: nats_cluster.Node, nodes: list[nats_cluster.Node]
) -> Callable[[], subprocess.Popen[bytes]]:
    return lambda: nats_cluster.start_node(folder, node, nodes)
