"""The whole system as a context manager: servers, schema, curriculum, services, nginx.

`grindstone up` runs it until Ctrl+C; the end-to-end tests, the HumanEval run and the
benchmark run it on their own servers and ports.
"""

import contextlib
import functools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from common import embedded
from grindstone_cli import gateway, processes, rundir, servers, supervisor

CURRICULUM = processes.ROOT / "assignments" / "curriculum.jsonl"
HTTP_SERVICES = {
    "command_api": "/api/command/health",
    "query_api": "/api/health",
    "push": "/ws/health",
}
# slots per grader: more than the cores, so a job's NATS round trips overlap others' sandbox runs
GRADER_CONCURRENCY = "8"


class System:
    def __init__(
        self,
        folder: Path,
        url: str,
        urls: dict[str, str],
        embedded_servers: list[str],
        watch: supervisor.Supervisor,
    ) -> None:
        self.folder = folder  # data, logs/, nginx/
        self.url = url  # the one origin: pages, /api, /ws
        self.urls = urls  # nats_url, database_url, valkey_url
        self.embedded_servers = embedded_servers
        # each HTTP service's replicas: (port, process), behind nginx
        self.replicas: dict[str, list[tuple[int, subprocess.Popen[bytes]]]] = {}
        self.secret = ""
        self.env: dict[str, str] = {}
        self.supervisor = watch  # restarts what exits, servers included
        # the embedded NATS cluster's nodes: (supervisor label, client port); [] otherwise
        self.nats_nodes: list[tuple[str, int]] = []
        self.graders: list[str] = []  # the grader processes' supervisor labels


def service_env(urls: dict[str, str], secret: str, extra: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "GRINDSTONE_SECRET": secret, **extra}
    # the servers as found (an empty URL in `extra` asked for an embedded one)
    env.update(NATS_URL=urls["nats_url"], DATABASE_URL=urls["database_url"])
    env.update(VALKEY_URL=urls["valkey_url"])
    env["PYTHONPATH"] = str(processes.ROOT)
    env.setdefault("GRADER_CONCURRENCY", GRADER_CONCURRENCY)
    return env


@contextlib.contextmanager
def running(
    folder: Path,
    port: int,
    extra_env: dict[str, str] | None = None,
    load_curriculum: bool = True,
    replicas: int = 1,
    prod: bool = False,
    graders: int | None = None,
) -> Iterator[System]:
    """Everything up until exit: servers named by NATS_URL, DATABASE_URL, VALKEY_URL (from
    `extra_env`, else the environment) or embedded ones in `folder` (with `prod`, NATS is a
    three-node cluster and every stream and durable consumer has 3 replicas); `replicas`
    processes of each HTTP service; `graders` grader processes (2 with `prod`, else 1); nginx
    with the production configuration when `prod`."""
    folder.mkdir(parents=True, exist_ok=True)
    given = {**os.environ, **(extra_env or {})}
    watch = supervisor.Supervisor(folder)
    with servers.running(folder, watch, given, nats_cluster=prod) as run:
        rundir.write_urls(folder, run.urls)
        system = System(folder, f"http://127.0.0.1:{port}", run.urls, run.started, watch)
        system.nats_nodes = [(node.label, node.port) for node in run.nats_nodes]
        system.secret = rundir.secret(folder)
        extra = dict(extra_env or {})
        if run.nats_nodes:
            extra["NATS_REPLICAS"] = str(len(run.nats_nodes))
        system.env = service_env(run.urls, system.secret, extra)
        py = sys.executable
        processes.run_once([py, "-m", "services.projector", "schema"], system.env)
        if load_curriculum:
            load = ["-m", "grindstone_cli", "assignments", "load", str(CURRICULUM)]
            processes.run_once([py, *load], system.env)
        try:
            graders = graders or (2 if prod else 1)
            _start_processes(system, port, replicas, graders, prod)
            with watch.watching():
                yield system
        finally:  # the services and nginx; the servers stop after them
            processes.stop_all(watch.procs(set(watch.children) - set(run.labels)))


def _start_processes(system: System, port: int, replicas: int, graders: int, prod: bool) -> None:
    """Every service, then nginx in front, each adopted by the supervisor."""
    logs, watch = system.folder / "logs", system.supervisor
    system.replicas, services = start_services(system.env, logs, replicas, graders)
    system.graders = [s.label for s in services if s.name == "grader"]
    for service in services:
        assert service.proc is not None
        start = service.starter(logs)
        watch.adopt(service.label, service.proc, start, service.health_url, service.port)
    ports = {name: [p for p, _ in reps] for name, reps in system.replicas.items()}
    template = gateway.PROD if prod else gateway.DEV
    nginx = gateway.start(system.folder / "nginx", port, ports, template)
    restart_nginx = functools.partial(gateway.spawn, system.folder / "nginx")
    watch.adopt("nginx", nginx, restart_nginx, f"{system.url}/", port)


Replicas = dict[str, list[tuple[int, subprocess.Popen[bytes]]]]


def start_services(
    env: dict[str, str], logs: Path, replicas: int = 1, graders: int = 1
) -> tuple[Replicas, list[processes.Service]]:
    """Every service; each HTTP one `replicas` times on ports of its own (`env` names the
    first replica's port); the projector once; `graders` graders (labels grader, grader.2...)."""
    logs.mkdir(parents=True, exist_ok=True)
    http: dict[str, list[tuple[int, processes.Service]]] = {}
    for name, health in HTTP_SERVICES.items():
        for index in range(replicas):
            port = embedded.free_port()
            if index == 0:
                env[f"{name.upper()}_PORT"] = str(port)
            label = name if index == 0 else f"{name}.{index + 1}"
            url = f"http://127.0.0.1:{port}{health}"
            http.setdefault(name, []).append((port, processes.Service(name, env, url, label, port)))
    for name, reps in http.items():
        for port, service in reps:
            service.env = {**env, f"{name.upper()}_PORT": str(port)}
    services = [s for reps in http.values() for _, s in reps]
    services.append(processes.Service("projector", env, None))
    labels = ["grader", *(f"grader.{i}" for i in range(2, graders + 1))]
    services += [processes.Service("grader", env, None, label) for label in labels]
    for service in services:
        service.start(logs)
    try:
        for service in services:
            service.wait_ready()
    except Exception:
        processes.stop_all([s.proc for s in services if s.proc])
        raise
    started = {name: [(port, s.proc) for port, s in reps if s.proc] for name, reps in http.items()}
    return started, services


def elapsed_since(start: float) -> str:
    return f"{time.monotonic() - start:.1f} s"
