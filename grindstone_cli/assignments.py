"""`grindstone assignments load FILE.jsonl`: publish a problem set as assignments (and
`assignments check`, in check.py: run its solutions through the sandbox)."""

import argparse
import asyncio
import json
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

import nats.errors

from common import nats as gnats
from grindstone_cli import catalog, check, locate, plan, problemset
from grindstone_cli.plan import Step

CONNECT_TIMEOUT_S = 10.0
DESCRIPTION = """\
Publish the assignments of a JSON Lines problem set (ours, HumanEval or kattis format).
Every record is checked first: one invalid record and nothing is loaded. An assignment's id
comes from the record's `id`, so loading a file again changes only what changed (and loading
the same file twice changes nothing). New assignments go after the existing ones, in file order.
Loading runs no code: `grindstone assignments check FILE.jsonl` shows, before students see the
assignments, that every reference solution passes their tests and every wrong one fails.
"""


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "assignments", help="manage the assignments", description="Manage the assignments."
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser(
        "load", help="load a problem set (JSON Lines)", description=DESCRIPTION
    )
    load.add_argument("file", type=Path, metavar="FILE.jsonl", help="the problem set to load")
    load.add_argument(
        "--json",
        action="store_true",
        help='print one line per record, {"source_id": ..., "assignment_id": ...}',
    )
    locate.add_nats_url_option(load)
    load.set_defaults(run=run)
    check.add_parser(actions)
    return parser


async def run(args: argparse.Namespace) -> int:
    try:
        records = problemset.read(args.file)
    except problemset.InvalidFile as exc:
        return _fail(f"{exc}; nothing was loaded")
    try:
        steps = await load(locate.nats_url(args.nats_url), records)
    except (locate.NotConfigured, catalog.LoadError) as exc:
        return _fail(str(exc))
    except (nats.errors.Error, OSError) as exc:
        return _fail(f"NATS did not answer as expected ({type(exc).__name__}: {exc})")
    report(steps, as_json=args.json)
    print(
        "Check that every reference solution passes before students see it: "
        f"grindstone assignments check {shlex.quote(str(args.file))}",
        file=sys.stderr,
    )
    return 0


async def load(url: str, records: list[problemset.Record]) -> list[Step]:
    """Append what changed; the steps say, per record, what it was."""
    try:
        nc = await asyncio.wait_for(gnats.connect(url, "grindstone-cli"), CONNECT_TIMEOUT_S)
    except TimeoutError:
        raise catalog.LoadError(
            f"Could not reach NATS at {url} within {CONNECT_TIMEOUT_S:.0f} s: is `just up` running?"
        ) from None
    try:
        js = nc.jetstream()
        await gnats.ensure_streams(js)
        steps = plan.plan(records, await catalog.current(js))
        await catalog.publish(js, steps, datetime.now(UTC))
    finally:
        await nc.close()
    return steps


def report(steps: list[Step], *, as_json: bool) -> None:
    counts = {status: sum(s.status == status for s in steps) for status in ("new", "changed")}
    unchanged = len(steps) - counts["new"] - counts["changed"]
    summary = (
        f"Loaded {len(steps)} assignments: {counts['new']} new, {counts['changed']} changed, "
        f"{unchanged} unchanged"
    )
    if not as_json:
        print(summary)
        return
    for step in steps:
        print(
            json.dumps(
                {"source_id": step.record.source_id, "assignment_id": str(step.assignment_id)}
            )
        )
    print(summary, file=sys.stderr)  # stdout stays pure JSON Lines


def _fail(message: str) -> int:
    print(f"grindstone assignments load: {message}", file=sys.stderr)
    return 1
