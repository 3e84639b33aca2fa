"""`grindstone up`: the whole system on one origin, with embedded servers where no URL is set."""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from grindstone_cli import rundir, servers, stack


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "up",
        help="run the whole system on one origin until Ctrl+C",
        description="Start NATS, PostgreSQL and Valkey (embedded ones where NATS_URL, "
        "DATABASE_URL or VALKEY_URL is unset), apply the schema, load the curriculum, start "
        "every service and serve the site, /api and /ws on http://127.0.0.1:$GRINDSTONE_PORT "
        "(8000; 8080 with --prod). Data stays in $GRINDSTONE_DATA (.grindstone/). Embedded "
        "servers require the password generated into their folder; the URLs with it are in "
        "$GRINDSTONE_DATA/run.json. Ctrl+C stops everything.",
    )
    parser.add_argument("--port", type=int, help="default $GRINDSTONE_PORT, else 8000 (8080)")
    parser.add_argument(
        "--prod",
        action="store_true",
        help="the production configuration: nginx with infra/nginx/prod.conf.template in "
        "front of --replicas processes of each HTTP service, --graders graders and, unless "
        "NATS_URL is set, a three-node NATS cluster (infra/nats/cluster.conf.template) with "
        "3 replicas of every stream",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        help="processes of each HTTP service (query_api, command_api, push): default 2 "
        "with --prod, else 1",
    )
    parser.add_argument(
        "--graders", type=int, help="grader processes: default 2 with --prod, else 1"
    )
    parser.set_defaults(run=run)


def _stop_on_signal() -> list[int]:
    """The signals received so far: the handler takes no lock (it may interrupt one)."""
    received: list[int] = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda signum, _: received.append(signum))
    return received


def run(args: argparse.Namespace) -> int:
    port = args.port or int(os.environ.get("GRINDSTONE_PORT") or (8080 if args.prod else 8000))
    replicas = max(1, args.replicas or (2 if args.prod else 1))
    graders = max(1, args.graders or (2 if args.prod else 1))
    folder = rundir.path()
    stopping = _stop_on_signal()
    try:
        with rundir.owned(folder):
            _serve(folder, port, (replicas, graders), args.prod, stopping)
    except (rundir.InUse, servers.OtherTopology) as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    print("Stopped every process this run started.", flush=True)
    return 0


def _serve(
    folder: Path, port: int, counts: tuple[int, int], prod: bool, stopping: list[int]
) -> None:
    """`counts`: processes of each HTTP service, and graders."""
    start, (replicas, graders) = time.monotonic(), counts
    mode = f"production configuration, {replicas} replicas" if prod else "development"
    print(f"Starting Grindstone ({mode}; data in {folder}) ...", flush=True)
    with stack.running(folder, port, replicas=replicas, prod=prod, graders=graders) as system:
        started = ", ".join(system.embedded_servers) or "none (NATS_URL, DATABASE_URL, VALKEY_URL)"
        print(f"Grindstone is up after {stack.elapsed_since(start)}: {system.url}/", flush=True)
        print(f"  embedded servers started: {started}", flush=True)
        print(f"  logs: {folder / 'logs'}; Ctrl+C stops everything", flush=True)
        while not stopping:  # meanwhile the supervisor restarts any process that exits
            time.sleep(0.2)
