"""`grindstone up`: the whole system on one origin, with embedded servers where no URL is set."""

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from common import embedded
from grindstone_cli import gateway, processes, rundir, servers

CURRICULUM = processes.ROOT / "assignments" / "curriculum.jsonl"
HTTP_SERVICES = {
    "command_api": "/api/command/health",
    "query_api": "/api/health",
    "push": "/ws/health",
}
WORKERS = ("projector", "grader")


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "up",
        help="run the whole system on one origin until Ctrl+C",
        description="Start NATS, PostgreSQL and Valkey (embedded ones where NATS_URL, "
        "DATABASE_URL or VALKEY_URL is unset), apply the schema, load the curriculum, start "
        "every service and serve the site, /api and /ws on http://127.0.0.1:$GRINDSTONE_PORT "
        "(8000). Data stays in $GRINDSTONE_DATA (.grindstone/). Ctrl+C stops everything.",
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRINDSTONE_PORT", 8000)))
    parser.set_defaults(run=run)


def _service_env(urls: dict[str, str], secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NATS_", "DATABASE_"))}
    env.update(NATS_URL=urls["nats_url"], DATABASE_URL=urls["database_url"])
    env.update(VALKEY_URL=urls["valkey_url"], GRINDSTONE_SECRET=secret)
    env["PYTHONPATH"] = str(processes.ROOT)
    return env


def _stop_on_signal() -> threading.Event:
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    return stopping


def run(args: argparse.Namespace) -> int:
    folder = rundir.path()
    folder.mkdir(parents=True, exist_ok=True)
    stopping = _stop_on_signal()
    started_at = time.monotonic()
    with servers.running(folder) as (urls, embedded_servers):
        rundir.write_urls(folder, urls)
        env = _service_env(urls, rundir.secret(folder))
        py = sys.executable
        processes.run_once([py, "-m", "services.projector", "schema"], env)
        processes.run_once(
            [py, "-m", "grindstone_cli", "assignments", "load", str(CURRICULUM)], env
        )
        children = _start_services(env, folder / "logs")
        try:
            ports = {name: int(env[f"{name.upper()}_PORT"]) for name in HTTP_SERVICES}
            children.append(gateway.start(folder / "nginx", args.port, ports))
            _announce(args.port, embedded_servers, folder, time.monotonic() - started_at)
            return _watch(children, stopping)
        finally:
            processes.stop_all(children)
            print("Stopped every process this run started.", flush=True)


def _start_services(env: dict[str, str], logs: Path) -> list:  # type: ignore[type-arg]
    logs.mkdir(parents=True, exist_ok=True)
    services = []
    for name, health in HTTP_SERVICES.items():
        port = embedded.free_port()
        env[f"{name.upper()}_PORT"] = str(port)
        services.append(processes.Service(name, env, f"http://127.0.0.1:{port}{health}"))
    services += [processes.Service(name, env, None) for name in WORKERS]
    for service in services:
        service.start(logs)
    try:
        for service in services:
            service.wait_ready()
    except Exception:
        processes.stop_all([s.proc for s in services if s.proc])
        raise
    return [s.proc for s in services]


def _announce(port: int, embedded_servers: list[str], folder: Path, seconds: float) -> None:
    started = ", ".join(embedded_servers) or "none (all from NATS_URL/DATABASE_URL/VALKEY_URL)"
    print(f"Grindstone is up after {seconds:.1f} s: http://127.0.0.1:{port}/", flush=True)
    print(f"  embedded servers started: {started}", flush=True)
    print(f"  data and logs: {folder}  (Ctrl+C stops everything)", flush=True)


def _watch(children: list, stopping: threading.Event) -> int:  # type: ignore[type-arg]
    """Wait for Ctrl+C; if a child dies first, say which and stop the rest."""
    while not stopping.wait(0.5):
        for proc in children:
            if proc.poll() is not None:
                print(
                    f"{' '.join(proc.args[-2:])} exited ({proc.returncode}); stopping.", flush=True
                )
                return 1
    return 0
