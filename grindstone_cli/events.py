"""`grindstone events tail | show`: the EVENTS log for an operator, filtered, followed, whole."""

import argparse
import sys

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from grindstone_cli import eventview, locate

DEFAULT_LAST = 20
DESCRIPTION = """\
Read the EVENTS stream, the record of truth. `tail` prints the last events (--last, default
20) that pass the filters, oldest first, and with -f keeps printing new ones as they are
stored, until Ctrl+C. `show SEQ` prints one event whole. Filters combine (all must hold):
--student selects a student's submissions and ungraded runs (events.*.<student>.*),
--submission one submission (events.submission.<student>.<submission>);
--assignment selects the assignment's own events and the submissions and runs made to it;
--type names event types (repeat it for several); --since and --until bound the time the
events were stored (ISO 8601 like 2026-12-04T09:30:00Z, or an age like 90s, 15m, 2h, 1d).
"""


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "events", help="read the event log: tail (-f) or show one", description=DESCRIPTION
    )
    which = parser.add_subparsers(dest="events_command", required=True, metavar="tail|show")
    tail = which.add_parser(
        "tail", help="the last events, then (-f) new ones", description=DESCRIPTION
    )
    tail.add_argument(
        "-n", "--last", type=_count, default=DEFAULT_LAST, help="how many (default 20)"
    )
    tail.add_argument(
        "-f", "--follow", action="store_true", help="then print new events as they come"
    )
    tail.add_argument("--student", type=eventview.uuid_arg, help="a student's user id")
    tail.add_argument("--submission", type=eventview.uuid_arg, help="a submission id")
    tail.add_argument("--assignment", type=eventview.uuid_arg, help="an assignment id")
    tail.add_argument("--type", action="append", dest="types", metavar="TYPE", help="an event type")
    tail.add_argument("--since", type=eventview.time_arg, help="stored at or after this time")
    tail.add_argument("--until", type=eventview.time_arg, help="stored at or before this time")
    tail.set_defaults(run=run_tail)
    show = which.add_parser("show", help="one event whole", description=DESCRIPTION)
    show.add_argument("seq", type=_count, help="the event's stream sequence")
    show.set_defaults(run=run_show)
    for sub in (tail, show):
        sub.add_argument(
            "--json", action="store_true",
            help='JSON Lines: {"seq", "time", "subject", "type", "version", "headers", "payload"}',
        )  # fmt: skip
        locate.add_nats_url_option(sub)
    return parser


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


async def run_tail(args: argparse.Namespace) -> int:
    wanted = eventview.Filter.of(args)
    return await locate.with_jetstream(args.nats_url, lambda js: _tail(js, wanted, args), _fail)


async def run_show(args: argparse.Namespace) -> int:
    return await locate.with_jetstream(args.nats_url, lambda js: _show(js, args), _fail)


async def _tail(js: JetStreamContext, wanted: eventview.Filter, args: argparse.Namespace) -> int:
    top = await eventview.stream_last_seq(js)  # the tail ends here, and following starts after
    for record in await eventview.last_matching(js, wanted, args.last, top):
        _print(record, args.json)
    if args.follow:
        async for record in eventview.follow(js, wanted, top + 1):
            _print(record, args.json)
    return 0


async def _show(js: JetStreamContext, args: argparse.Namespace) -> int:
    try:
        record = await eventview.one(js, args.seq)
    except NotFoundError:
        return _fail(f"no event at sequence {args.seq} (never stored, or deleted)")
    _print(record, args.json, whole=True)
    return 0


def _print(record: eventview.Record, as_json: bool, whole: bool = False) -> None:
    line = eventview.json_line(record) if as_json else eventview.human(record, whole)
    print(line, flush=True)


def _fail(message: str) -> int:
    print(f"grindstone events: {message}", file=sys.stderr)
    return 1
