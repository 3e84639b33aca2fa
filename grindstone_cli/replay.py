"""`grindstone replay`: rebuild read models from the EVENTS stream and switch them in."""

import argparse
import asyncio
import sys

import msgspec
import nats.errors
import psycopg
import psycopg_pool
from tqdm import tqdm

from common import cache, db
from events import subjects
from grindstone_cli import locate
from services.projector import replay
from services.projector.projections import PROJECTIONS

DB_TIMEOUT_S = 10.0
DESCRIPTION = """\
Rebuild the read models (all of them, or those named with --projection) from the EVENTS
stream into new tables while the old ones keep serving, then switch to the new ones in one
transaction (the live projector waits for it and goes on from the new tables' checkpoint),
drop the old ones, clear the Valkey keys they had filled, and apply again the events the
projector had set aside. A progress bar shows the events read; the last line gives the rate.
Run it after changing how a projection folds events; it is safe while the system serves.
"""


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "replay", help="rebuild the read models from the event log", description=DESCRIPTION
    )
    names = ", ".join(replay.short(p.NAME) for p in PROJECTIONS)
    parser.add_argument(
        "--projection",
        action="append",
        metavar="NAME",
        help=f"rebuild only this read model (again for more): {names}",
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    locate.add_nats_url_option(parser)
    parser.add_argument("--database-url", help="PostgreSQL (default: DATABASE_URL, or run.json)")
    parser.add_argument("--valkey-url", help="Valkey (default: VALKEY_URL, or run.json)")
    parser.set_defaults(run=run)
    return parser


async def run(args: argparse.Namespace) -> int:
    try:
        replay.chosen(args.projection)
        report = await _replay(args)
    except (LookupError, locate.NotConfigured, replay.Busy) as exc:
        return _fail(str(exc))
    except (nats.errors.Error, TimeoutError, psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        return _fail(f"the servers did not answer as expected ({type(exc).__name__}: {exc})")
    if args.json:
        document = {**msgspec.to_builtins(report), "events_per_s": round(report.rate)}
        print(msgspec.json.encode(document).decode())
    else:
        print(text(report))
    return 0


async def _replay(args: argparse.Namespace) -> replay.Report:
    database_url = locate.server_url("database_url", args.database_url)
    valkey_url = locate.server_url("valkey_url", args.valkey_url)
    nc = await locate.connect(args.nats_url)
    try:
        js = nc.jetstream()
        total = (await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq
        pool = await asyncio.wait_for(db.open_pool(database_url, max_size=2), DB_TIMEOUT_S)
        client = cache.connect(valkey_url)
        bar = tqdm(total=total, unit="event", desc="replay", disable=args.json, file=sys.stderr)
        try:
            return await replay.replay(js, pool, cache.Cache(client), args.projection, bar.update)
        finally:
            bar.close()
            await pool.close()
            await client.aclose()
    finally:
        await nc.close()


def text(report: replay.Report) -> str:
    bulk = report.bulk_events / report.bulk_seconds if report.bulk_seconds else 0.0
    return "\n".join(
        [
            f"Rebuilt {', '.join(report.projections)} from {report.events} events "
            f"in {report.seconds:.1f} s: {report.rate:,.0f} events/s "
            f"(the bulk read, fold and write: {bulk:,.0f} events/s).",
            f"Live since stream sequence {report.switched_at}; "
            f"{report.keys_cleared} cached keys cleared; "
            f"{report.subjects_reapplied} set-aside subjects applied again.",
        ]
    )


def _fail(message: str) -> int:
    print(f"grindstone replay: {message}", file=sys.stderr)
    return 2
