"""NATS connection, stream set-up and the one way to append an event."""

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TypeVar
from urllib.parse import urlsplit
from uuid import UUID

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import (
    APIError,
    BadRequestError,
    NoStreamResponseError,
    NotFoundError,
    ServiceUnavailableError,
)

from common import settings
from events import AssignmentPublished, Event, codec, integrity, subjects

# JetStream's error codes for a refused expected-sequence check: the subject moved on (10071,
# with its sequence), or, on a cluster, another append to the subject is still in flight on the
# leader and cannot be checked against yet (10164, "wrong last sequence" without a number)
WRONG_LAST_SEQUENCE = 10071
WRONG_LAST_SEQUENCE_IN_FLIGHT = 10164


RACE_PAUSE_S = 0.005  # before a lost race is reported: an append in flight settles meanwhile


def lost_race(exc: APIError) -> bool:
    """Did JetStream refuse an append for its expected sequence? Either way the caller looks at
    the subject again, as after any lost race."""
    return exc.err_code in (WRONG_LAST_SEQUENCE, WRONG_LAST_SEQUENCE_IN_FLIGHT)


CONNECT_TIMEOUT_S = 30.0


# JetStream answering "not now": a node was lost and its streams and consumers are electing
# leaders (a second or a few on a cluster), or the server is restarting
UNAVAILABLE = (
    TimeoutError,  # nats.errors.TimeoutError is one
    nats.errors.NoRespondersError,
    NoStreamResponseError,
    ServiceUnavailableError,
)
SETTLE_S = 60.0
T = TypeVar("T")


async def settled(call: Callable[[], Awaitable[T]], within_s: float = SETTLE_S) -> T:
    """`call()`, again while JetStream is unavailable, for up to `within_s` (then its error)."""
    deadline = time.monotonic() + within_s
    pause = 0.1
    while True:
        try:
            return await call()
        except UNAVAILABLE:
            if time.monotonic() > deadline:
                raise
        await asyncio.sleep(pause)
        pause = min(2 * pause, 2.0)


class ConcurrencyError(Exception):
    """The subject moved on since the decision was made (someone else appended first)."""


def servers(url: str) -> list[str]:
    """NATS_URL's servers: one URL, or several comma-separated (the nodes of a cluster)."""
    return [part.strip() for part in url.split(",") if part.strip()]


async def _wait_for_port(urls: list[str]) -> None:
    """A refused first connect costs nats-py a 2 s reconnect wait: poll until one server's port
    accepts."""
    where = [(parts.hostname, parts.port or 4222) for parts in map(urlsplit, urls)]
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while True:
        for address in where:
            try:
                sock = await asyncio.to_thread(socket.create_connection, address, 1)
                sock.close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
        await asyncio.sleep(0.05)


async def connect(url: str, name: str) -> Client:
    """A connection to any of `url`'s servers that moves to another when its server goes."""
    urls = servers(url)
    await _wait_for_port(urls)
    parts = urlsplit(urls[0])  # servers the cluster tells of are reached with these too
    return await nats.connect(
        urls,
        name=name,
        user=parts.username,
        password=parts.password,
        max_reconnect_attempts=-1,
        connect_timeout=5,
    )


def stream_config(name: str, subjects_: list[str]) -> StreamConfig:
    """A kept stream of ours: file storage, direct gets, a 2 min duplicate window, NATS_REPLICAS
    copies."""
    return StreamConfig(
        name=name,
        subjects=subjects_,
        storage=StorageType.FILE,
        allow_direct=True,
        duplicate_window=120.0,
        num_replicas=settings.nats_replicas(),
    )


def events_stream_config(name: str = subjects.EVENTS_STREAM) -> StreamConfig:
    return stream_config(name, subjects.EVENTS_SUBJECTS)


async def ensure_streams(js: JetStreamContext) -> None:
    """Create (or update) the EVENTS, dead-letter, set-aside and audit checkpoint streams and
    the verdict cache; idempotent."""
    configs = (
        events_stream_config(),
        stream_config(subjects.DEAD_LETTER_STREAM, subjects.DEAD_LETTER_SUBJECTS),
        stream_config(subjects.SET_ASIDE_STREAM, subjects.SET_ASIDE_SUBJECTS),
        stream_config(subjects.AUDIT_CHECKPOINTS_STREAM, subjects.AUDIT_CHECKPOINTS_SUBJECTS),
    )
    for config in configs:
        try:
            await js.add_stream(config)
        except BadRequestError:
            await js.update_stream(config)
    await js.create_key_value(verdict_cache_config())


def verdict_cache_config() -> KeyValueConfig:
    return KeyValueConfig(
        bucket=subjects.VERDICT_CACHE_BUCKET,
        history=1,
        storage=StorageType.FILE,
        replicas=settings.nats_replicas(),
    )


async def append(
    js: JetStreamContext,
    subject: str,
    event: Event,
    *,
    msg_id: str,
    expected_seq: int | None = None,
    expected_subject: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
    ack_timeout_s: float = 5.0,
    new_subject: bool = False,
) -> int:
    """Append one event; returns its stream sequence.

    `expected_seq` is the last sequence the decision saw on `expected_subject` (which may hold
    wildcards; by default the subject itself). `msg_id` makes a retry a no-op within the
    stream's duplicate window.

    The event chains to the subject's last message, read here, after the decision: the
    expected subject covers the subject, so anything appended to it since the decision was
    made makes JetStream refuse this append, and the hash read is the one the server still
    ends the subject with (docs/design.md, "Tamper evidence"). Without `expected_seq` the
    append expects the message it chained to. `new_subject`: the caller just made the
    subject's id (a fresh uuid4), so it holds nothing and the read is skipped.
    """
    data, headers = codec.encode(event)
    headers["Nats-Msg-Id"] = msg_id
    last = None if new_subject else await last_message(js, subject, direct=False)  # the leader's
    integrity.chain(integrity.hash_of(last.headers if last else None), subject, headers, data)
    if expected_seq is None:
        expected_seq, expected_subject = (int(last.seq or 0) if last else 0), None
    if expected_seq is not None:
        headers["Nats-Expected-Last-Subject-Sequence"] = str(expected_seq)
        if expected_subject is not None:
            headers["Nats-Expected-Last-Subject-Sequence-Subject"] = expected_subject
    headers.update(extra_headers or {})
    try:
        ack = await js.publish(subject, data, headers=headers, timeout=ack_timeout_s)
    except APIError as exc:
        if lost_race(exc):
            await asyncio.sleep(RACE_PAUSE_S)  # the caller looks again at a settled subject
            raise ConcurrencyError(subject) from exc
        raise
    return int(ack.seq)


async def subject_messages(
    js: JetStreamContext,
    subject: str,
    start: int = 1,
    before: int | None = None,
    stream: str = subjects.EVENTS_STREAM,
    *,
    direct: bool = True,
) -> AsyncIterator[nats.js.api.RawStreamMsg]:
    """The messages on a subject (wildcards allowed) from sequence `start` on, below `before`;
    `direct=False` reads from the stream's leader (a follower's direct get may lag)."""
    seq = start
    while before is None or seq < before:
        try:
            msg = await js.get_msg(stream, seq=seq, subject=subject, next=True, direct=direct)
        except NotFoundError:
            return
        if msg.seq is None or (before is not None and msg.seq >= before):
            return
        yield msg
        seq = msg.seq + 1


async def published(js: JetStreamContext, assignment_id: UUID) -> AssignmentPublished | None:
    """An assignment as last published. An unreadable message that came after it (set aside
    by the consumers) does not hide it: the subject, one message per publish, is read again."""
    subject = subjects.assignment(assignment_id)
    last = await last_message(js, subject)
    if last is None:
        return None
    found = _published(last)
    if found is None:
        async for msg in subject_messages(js, subject):
            found = _published(msg) or found
    return found


async def published_version(
    js: JetStreamContext, assignment_id: UUID, content_sha256: str
) -> AssignmentPublished | None:
    """The assignment as published with this content hash, or None when no publish on its
    subject (one message per publish, every one kept) had it."""
    subject = subjects.assignment(assignment_id)
    last = await last_message(js, subject)
    if last is None:
        return None
    found = _published(last)
    if found is not None and found.content_sha256 == content_sha256:
        return found  # the common case: the version submitted against is still the latest
    found = None
    async for msg in subject_messages(js, subject, before=last.seq):
        event = _published(msg)
        if event is not None and event.content_sha256 == content_sha256:
            found = event  # the same content published again (moved): the newest such
    return found


def _published(msg: nats.js.api.RawStreamMsg) -> AssignmentPublished | None:
    try:
        event = codec.decode(msg.data or b"", msg.headers)
    except codec.Unreadable:
        return None
    return event if isinstance(event, AssignmentPublished) else None


async def last_message(
    js: JetStreamContext, subject: str, *, direct: bool = True
) -> nats.js.api.RawStreamMsg | None:
    """The last message on a subject (wildcards allowed), or None when there is none."""
    with contextlib.suppress(NotFoundError):
        return await js.get_last_msg(subjects.EVENTS_STREAM, subject, direct=direct)
    return None
