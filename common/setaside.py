"""Events a consumer could not decode or apply, set aside for an operator: the SET_ASIDE stream.

A record is the original message (bytes and headers, less its `Nats-*` headers) on
`setaside.<consumer>.<stream seq>`, with headers naming the consumer, the sequence and subject
in EVENTS, and the reason. Each is recorded once: the publish expects the subject to be empty,
so replicas of a consumer, or one retrying after a crash, do not record it twice. An original
too large to copy within the server's payload limit (the server would drop the connection) is
recorded without its body, or without its own headers too: it stays in EVENTS at its sequence.
"""

import contextlib
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

import msgspec
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import APIError, NotFoundError

from common import nats as gnats
from events import subjects

log = logging.getLogger(__name__)

CONSUMER_HEADER = "Grindstone-Consumer"
SEQUENCE_HEADER = "Grindstone-Sequence"
SUBJECT_HEADER = "Grindstone-Subject"
REASON_HEADER = "Grindstone-Reason"
LEFT_HEADER = "Grindstone-Left-In-Events"  # what of the original was too large to copy
MAX_REASON = 500  # characters of an exception's text kept in the header
MAX_HEADERS = 65_536  # bytes of headers JetStream stores with a message


class Record(msgspec.Struct, frozen=True, kw_only=True):
    consumer: str
    seq: int  # in EVENTS
    subject: str
    event_type: str
    reason: str
    set_aside_at: datetime
    left_in_events: str = ""  # what of the original was too large to copy, if anything


async def record(
    js: JetStreamContext,
    consumer: str,
    seq: int,
    reason: str,
    original: tuple[str, bytes, Mapping[str, str] | None] | None = None,
) -> bool:
    """Set the EVENTS message at `seq` aside; False if it already was. `original` is its
    (subject, data, headers) when the caller has it, else it is read from the stream."""
    if original is None:
        msg = await js.get_msg(subjects.EVENTS_STREAM, seq=seq, direct=True)
        original = (msg.subject or "", msg.data or b"", msg.headers)
    subject, data, headers = original
    reason = " ".join(reason.split())[:MAX_REASON] or "no reason given"
    kept = {k: v for k, v in (headers or {}).items() if not k.startswith("Nats-")}
    ours = {
        CONSUMER_HEADER: consumer,
        SEQUENCE_HEADER: str(seq),
        SUBJECT_HEADER: subject,
        REASON_HEADER: reason,
        "Nats-Expected-Last-Subject-Sequence": "0",
    }
    data, written = _fitted(data, kept, ours, js._nc.max_payload)
    try:
        await js.publish(
            subjects.set_aside(consumer, seq),
            data,
            headers=written,
            stream=subjects.SET_ASIDE_STREAM,
            timeout=5.0,
        )
    except APIError as exc:
        if gnats.lost_race(exc):
            return False
        raise
    log.warning("%s set aside event %d on %s: %s", consumer, seq, subject, reason)
    return True


def _fitted(
    data: bytes, kept: dict[str, str], ours: dict[str, str], limit: int
) -> tuple[bytes, dict[str, str]]:
    """The record's body and headers: the original's, less what does not fit (`limit` bytes in
    all, MAX_HEADERS of headers)."""
    left = f"{len(data)} bytes"
    for body, headers in (
        (data, kept | ours),
        (b"", kept | ours | {LEFT_HEADER: f"the body ({left})"}),
        (b"", ours | {LEFT_HEADER: f"the body ({left}) and headers"}),
    ):
        size = _header_size(headers)
        if size <= MAX_HEADERS and size + len(body) <= limit:
            break
    return body, headers


def _header_size(headers: Mapping[str, str]) -> int:
    """Bytes of headers as the server counts them."""
    lines = sum(len(f"{k}: {v}\r\n".encode()) for k, v in headers.items())
    return len(b"NATS/1.0\r\n\r\n") + lines


async def records(js: JetStreamContext, consumer: str | None = None) -> list[Record]:
    """Every set-aside event (of one consumer), in the order they were set aside."""
    wanted = f"{subjects.SET_ASIDE_SUBJECT}.{consumer or '*'}.*"
    stream = subjects.SET_ASIDE_STREAM
    return [
        _record(msg.headers or {}, _time(msg))
        async for msg in gnats.subject_messages(js, wanted, stream=stream)
    ]


def _time(msg: RawStreamMsg) -> datetime:
    """When the record was stored (the direct get's Nats-Time-Stamp header)."""
    stamp = (msg.headers or {}).get("Nats-Time-Stamp", "")
    try:
        return datetime.fromisoformat(stamp[:26].rstrip("Z") + "+00:00")
    except ValueError:
        return datetime.now(UTC)


def _record(headers: Mapping[str, str], at: datetime) -> Record:
    return Record(
        consumer=headers.get(CONSUMER_HEADER, ""),
        seq=int(headers.get(SEQUENCE_HEADER, "0")),
        subject=headers.get(SUBJECT_HEADER, ""),
        event_type=headers.get("Event-Type", ""),
        reason=headers.get(REASON_HEADER, ""),
        set_aside_at=at,
        left_in_events=headers.get(LEFT_HEADER, ""),
    )


async def forget(js: JetStreamContext, consumer: str, seq: int) -> None:
    """Drop a record once its event was applied after all."""
    with contextlib.suppress(NotFoundError):
        await js.purge_stream(subjects.SET_ASIDE_STREAM, subject=subjects.set_aside(consumer, seq))
