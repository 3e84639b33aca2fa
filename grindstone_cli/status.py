"""`grindstone status`: the running system at a glance, and an exit status saying whether a
person is needed (common/systemstate.py gathers it; the /ops/ page shows the same)."""

import argparse
import asyncio
import sys
from datetime import datetime
from typing import Any

import msgspec
import nats.errors
import psycopg
import psycopg_pool

from common import cache, db, systemstate
from grindstone_cli import locate

NEEDS_A_PERSON = 1  # exit status: something listed under "needs a person"
UNREACHABLE = 2  # exit status: the servers could not be read
DB_TIMEOUT_S = 5.0  # PostgreSQL not answering within this is unreachable
DESCRIPTION = f"""\
Show every stream and its consumers (pending, ack-pending, redelivered), each projection's
lag behind the EVENTS stream in events and in seconds (the age of the oldest event it has not
applied), the graders alive with their slots, dead-lettered jobs, set-aside events and the
submissions graded in the last minute.

Exit status {NEEDS_A_PERSON} when something needs a person, with a line saying what: a
dead-lettered job or a set-aside event is present, no grader is alive while jobs wait, or a
projection is more than {systemstate.LAG_LIMIT_EVENTS} events or
{systemstate.LAG_LIMIT_S:.0f} s behind. Exit status {UNREACHABLE} when the servers cannot be
read; 0 otherwise.
"""


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "status", help="the system's state; non-zero when a person is needed",
        description=DESCRIPTION,
    )  # fmt: skip
    parser.add_argument(
        "--json", action="store_true", help="print the state as one JSON object instead"
    )
    locate.add_nats_url_option(parser)
    parser.add_argument("--database-url", help="PostgreSQL (default: DATABASE_URL, or run.json)")
    parser.add_argument("--valkey-url", help="Valkey (default: VALKEY_URL, or run.json)")
    parser.set_defaults(run=run)
    return parser


async def run(args: argparse.Namespace) -> int:
    try:
        state = await _gather(args)
    except locate.NotConfigured as exc:
        return _fail(str(exc))
    except (nats.errors.Error, TimeoutError, psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        return _fail(f"the servers did not answer as expected ({type(exc).__name__}: {exc})")
    if args.json:
        print(msgspec.json.encode(state).decode())
    else:
        print(text(state))
    return NEEDS_A_PERSON if state.problems else 0


async def _gather(args: argparse.Namespace) -> systemstate.SystemState:
    database_url = locate.server_url("database_url", args.database_url)
    valkey_url = locate.server_url("valkey_url", args.valkey_url)
    nc = await locate.connect(args.nats_url)
    try:
        pool = await asyncio.wait_for(db.open_pool(database_url, max_size=1), DB_TIMEOUT_S)
        valkey = cache.connect(valkey_url)
        try:
            return await systemstate.gather(nc.jetstream(), pool, valkey)
        finally:
            await pool.close()
            await valkey.aclose()
    finally:
        await nc.close()


def text(state: systemstate.SystemState) -> str:
    lines = [f"Grindstone at {state.at:%Y-%m-%d %H:%M:%S} UTC", "", "Streams"]
    for stream in state.streams:
        lines.append(
            f"  {stream.name}: {stream.messages} messages, sequences "
            f"{stream.first_seq}-{stream.last_seq}"
        )
        lines += [f"    {_consumer(c)}" for c in stream.consumers]
    lines += ["", "Projections (lag behind EVENTS)"]
    lines += [
        f"  {p.projection}: checkpoint {p.checkpoint}, {p.lag_events} events, {p.lag_s:.1f} s"
        for p in state.projections
    ] or ["  none (the schema is not made)"]
    if state.cache_checkpoint is not None:
        lines.append(f"  cache mark (Valkey projector:checkpoint): {state.cache_checkpoint}")
    lines += ["", f"Graders alive: {len(state.graders)}"]
    lines += [f"  {_grader(g, state.at)}" for g in state.graders]
    lines += [
        f"Jobs waiting for a grader: {state.jobs_waiting}",
        f"Dead-lettered jobs: {state.dead_letters}",
        f"Set-aside events: {state.set_aside}",
        f"Graded in the last minute: {_graded(state)}",
        "",
    ]
    if state.problems:
        lines += [f"Needs a person: {p}" for p in state.problems]
    else:
        lines.append("OK: nothing needs a person.")
    return "\n".join(lines)


def _graded(state: systemstate.SystemState) -> str:
    if not state.graded_estimated:
        return str(state.graded_last_minute)
    newest = systemstate.RATE_MAX_SCAN
    return f"about {state.graded_last_minute} (scaled from the newest {newest} events)"


def _consumer(c: systemstate.ConsumerState) -> str:
    kind = "durable" if c.durable else "ephemeral"
    return (
        f"{c.name} ({kind}): pending {c.pending}, ack-pending {c.ack_pending}, "
        f"redelivered {c.redelivered}, waiting {c.waiting}"
    )


def _grader(g: systemstate.GraderBeat, now: datetime) -> str:
    seen = max(0.0, (now - g.at).total_seconds())
    return f"{_printable(g.grader_id)}: {g.busy} of {g.slots} slots busy (seen {seen:.0f} s ago)"


def _printable(text: Any) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def _fail(message: str) -> int:
    print(f"grindstone status: {message}", file=sys.stderr)
    return UNREACHABLE
