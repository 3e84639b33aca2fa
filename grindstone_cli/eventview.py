"""What `grindstone events` reads and prints: filters (subjects first, then headers and
payload), the last matching events, following new ones, and one event as a line or whole."""

import argparse
import contextlib
import json
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import nats.errors
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from common import eventlog, systemstate
from events import subjects

FIRST_WINDOW = 256  # stream sequences read back at first to find the last N; grows 4x per try
FOLLOW_POLL_S = 1.0
# headers a reader cares about; the server's own direct-get headers (Nats-Sequence, ...) are not
SHOWN_HEADERS = re.compile(r"^(?!Nats-(Stream|Sequence|Subject|Time-Stamp|Last-Sequence)$).+")
_AGE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class Record(msgspec.Struct, frozen=True, kw_only=True):
    """One stored event as `--json` prints it."""

    seq: int
    time: datetime | None
    subject: str
    type: str
    version: str
    headers: dict[str, str]
    payload: Any  # the JSON body as stored (null when it is not JSON: see payload_text)
    payload_text: str | None = None


class Filter(msgspec.Struct, frozen=True, kw_only=True):
    subject: str  # what JetStream filters by
    assignment: str | None  # then the payload's assignment_id (or the assignment's subject)
    types: frozenset[str]
    since: datetime | None
    until: datetime | None

    @classmethod
    def of(cls, args: argparse.Namespace) -> "Filter":
        student, submission = args.student, args.submission
        if submission:
            subject = f"events.submission.{student or '*'}.{submission}"
        elif student:
            subject = subjects.student_events(student)  # their submissions and their runs
        else:
            subject = subjects.EVENTS_SUBJECTS[0]
        return cls(
            subject=subject,
            assignment=str(args.assignment) if args.assignment else None,
            types=frozenset(args.types or ()),
            since=args.since,
            until=args.until,
        )

    def matches(self, record: Record) -> bool:
        if self.types and record.type not in self.types:
            return False
        if record.time is not None:
            if self.since and record.time < self.since:
                return False
            if self.until and record.time > self.until:
                return False
        if self.assignment is None:
            return True
        if record.subject == f"events.assignment.{self.assignment}":
            return True
        return (
            isinstance(record.payload, dict)
            and record.payload.get("assignment_id") == self.assignment
        )


def uuid_arg(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an id (a UUID): {text!r}") from None


def time_arg(text: str) -> datetime:
    """ISO 8601 (naive means UTC) or an age before now: 90s, 15m, 2h, 1d."""
    age = _AGE.match(text.strip())
    if age:
        return datetime.now(UTC) - timedelta(**{_UNITS[age[2]]: int(age[1])})
    try:
        at = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a time: {text!r} (give 2026-12-04T09:30:00Z, or an age like 15m)"
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def record_of(
    seq: int, subject: str, data: bytes | None, headers: dict[str, str] | None, at: datetime | None
) -> Record:
    headers = headers or {}
    body = data or b""
    try:
        payload, text = json.loads(body), None
    except ValueError:
        payload, text = None, body.decode("utf-8", "replace")
    return Record(
        seq=seq,
        time=at,
        subject=subject,
        type=headers.get("Event-Type", ""),
        version=headers.get("Event-Version", ""),
        headers={
            k: v
            for k, v in headers.items()
            if SHOWN_HEADERS.match(k) and not k.startswith("Event-")
        },
        payload=payload,
        payload_text=text,
    )


def _from_msg(msg: Any) -> Record:
    meta = msg.metadata
    return record_of(meta.sequence.stream, msg.subject, msg.data, msg.headers, meta.timestamp)


async def stream_last_seq(js: JetStreamContext) -> int:
    return int((await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq)


async def one(js: JetStreamContext, seq: int) -> Record:
    """The event at `seq`; NotFoundError when there is none."""
    msg = await js.get_msg(subjects.EVENTS_STREAM, seq=seq, direct=True)
    at = systemstate.stored_at(msg.headers)
    return record_of(int(msg.seq or seq), msg.subject or "", msg.data, msg.headers, at)


async def last_matching(js: JetStreamContext, wanted: Filter, count: int, top: int) -> list[Record]:
    """The last `count` events up to sequence `top` that pass the filter, oldest first:
    windows of the stream read backwards from `top`, each four times the last, until enough
    are found."""
    low = (await js.stream_info(subjects.EVENTS_STREAM)).state.first_seq
    if wanted.since is not None:
        low = max(low, await _seq_at(js, wanted.subject, wanted.since) or top + 1)
    found: list[Record] = []
    high, window = top, FIRST_WINDOW
    while count and high >= low and len(found) < count:
        start = max(low, high - window + 1)
        found = [r async for r in _between(js, wanted, start, high)] + found
        high, window = start - 1, window * 4
    return found[-count:] if count else []


async def _between(
    js: JetStreamContext, wanted: Filter, start: int, high: int
) -> AsyncIterator[Record]:
    messages = eventlog.read(js, wanted.subject, start)
    async with contextlib.aclosing(messages):
        async for msg in messages:
            if msg.metadata.sequence.stream > high:
                return
            record = _from_msg(msg)
            if wanted.matches(record):
                yield record


async def _seq_at(js: JetStreamContext, subject: str, since: datetime) -> int | None:
    """The sequence of the first message on `subject` stored at or after `since`."""
    config = ConsumerConfig(
        deliver_policy=DeliverPolicy.BY_START_TIME,
        opt_start_time=since,
        ack_policy=AckPolicy.NONE,
        headers_only=True,
        inactive_threshold=30.0,
    )
    sub = await js.pull_subscribe(subject, stream=subjects.EVENTS_STREAM, config=config)
    try:
        if not (await sub.consumer_info()).num_pending:
            return None
        msgs = await sub.fetch(1, timeout=5.0)
        return int(msgs[0].metadata.sequence.stream)
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()


async def follow(js: JetStreamContext, wanted: Filter, start: int) -> AsyncIterator[Record]:
    """Events stored from sequence `start` on, as they come, until cancelled (or --until)."""
    config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start)
    sub = await js.subscribe(
        wanted.subject, stream=subjects.EVENTS_STREAM, ordered_consumer=True, config=config
    )
    done = start - 1
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=FOLLOW_POLL_S)
            except nats.errors.TimeoutError:
                continue
            if msg.metadata.sequence.stream <= done:
                continue  # an ordered-consumer reset sends some again
            done = msg.metadata.sequence.stream
            record = _from_msg(msg)
            if wanted.until and record.time and record.time > wanted.until:
                return
            if wanted.matches(record):
                yield record
    finally:
        with contextlib.suppress(Exception):
            await sub.unsubscribe()


def json_line(record: Record) -> str:
    return msgspec.json.encode(record).decode()


def human(record: Record, whole: bool = False) -> str:
    """`seq  time  type vN  subject  key fields` (whole: then the headers and payload)."""
    at = f"{record.time:%Y-%m-%d %H:%M:%S.%f}"[:-3] if record.time else "?"
    kind = f"{record.type or '(no type)'} v{record.version or '?'}"
    line = _printable(f"{record.seq:>8}  {at}  {kind}  {record.subject}  {_summary(record)}")
    if not whole:
        return line.rstrip()
    # json.dumps escapes control characters; the raw text of a body that is not JSON is not
    if record.payload is None:
        body = _printable(record.payload_text or "")
    else:
        body = json.dumps(record.payload, indent=2)
    headers = [f"  {k}: {v}" for k, v in sorted(record.headers.items())]
    return "\n".join([line.rstrip(), "headers:", *map(_printable, headers), "payload:", body])


SUMMARY_FIELDS = ("status", "attempt", "title", "requested_by", "grader_id", "pending")


def _summary(record: Record) -> str:
    if not isinstance(record.payload, dict):
        return "(not JSON)" if record.payload_text is not None else ""
    return " ".join(f"{k}={record.payload[k]}" for k in SUMMARY_FIELDS if k in record.payload)


def _printable(text: str) -> str:
    """Control characters escaped: whoever wrote the event must not drive the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
