"""`grindstone set-aside`: the events a consumer could not read or apply, for an operator."""

import argparse
import sys

import msgspec
import nats.errors

from common import setaside
from grindstone_cli import locate

CONSUMERS = ("projector", "push", "grader")
DESCRIPTION = """\
List the events that the projector, the push fan-out or the grader set aside because they
could not read or apply them (a malformed body, an unknown type, missing fields, a newer
version, a value the database refuses), oldest first: the consumer, the event's stream
sequence, its subject and type, the reason and when it was set aside. The projector applies
its set-aside events again at every start and with `python -m services.projector reapply`;
those it then applies leave this list.
"""
COLUMNS = ("consumer", "seq", "subject", "type", "set aside at (UTC)", "reason")


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "set-aside", help="list the events consumers set aside", description=DESCRIPTION
    )
    parser.add_argument("--consumer", choices=CONSUMERS, help="only this consumer's")
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object per line: {"consumer", "seq", "subject", "event_type", '
        '"reason", "set_aside_at", "left_in_events"} (the last says what of an event too large '
        "to copy is only in the EVENTS stream, or is empty)",
    )
    locate.add_nats_url_option(parser)
    parser.set_defaults(run=run)
    return parser


async def run(args: argparse.Namespace) -> int:
    try:
        nc = await locate.connect(args.nats_url)
    except locate.NotConfigured as exc:
        return _fail(str(exc))
    try:
        found = await setaside.records(nc.jetstream(), args.consumer)
    except (nats.errors.Error, TimeoutError) as exc:
        return _fail(f"NATS did not answer as expected ({type(exc).__name__}: {exc})")
    finally:
        await nc.close()
    if args.json:
        for record in found:
            print(msgspec.json.encode(record).decode())
    else:
        print(table(found))
    return 0


def table(records: list[setaside.Record]) -> str:
    """Aligned columns (the reason last, whole), or a sentence when there is nothing to show."""
    if not records:
        return "No events are set aside."
    cells = [
        (
            r.consumer,
            str(r.seq),
            r.subject,
            r.event_type or "-",
            f"{r.set_aside_at:%Y-%m-%d %H:%M:%S}",
            r.reason,
        )
        for r in records
    ]
    rows = [COLUMNS, *(tuple(map(_printable, row)) for row in cells)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]])
        for row in rows
    )


def _printable(text: str) -> str:
    """Control characters escaped: whoever wrote the event must not drive the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _fail(message: str) -> int:
    print(f"grindstone set-aside: {message}", file=sys.stderr)
    return 1
