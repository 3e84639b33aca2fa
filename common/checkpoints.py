"""Signed checkpoints of the EVENTS stream's running hash, in the AUDIT_CHECKPOINTS stream:
made by a task of the projector process, read back by `grindstone audit`."""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

import msgspec
from nats.js import JetStreamContext
from nats.js.errors import APIError, NotFoundError

from common import eventlog
from common import nats as gnats
from events import integrity, subjects
from events.integrity import GENESIS, Checkpoint

log = logging.getLogger(__name__)

EVERY_EVENTS = 1000  # a checkpoint at least every this many events ...
EVERY_S = 60.0  # ... and, when any came in, at least this often
POLL_S = 1.0  # how often the task looks at the stream

_decoder = msgspec.json.Decoder(Checkpoint)


async def stored(js: JetStreamContext) -> list[Checkpoint]:
    """Every checkpoint published, oldest first."""
    found = []
    stream = subjects.AUDIT_CHECKPOINTS_STREAM
    async with contextlib.aclosing(
        eventlog.read(js, subjects.AUDIT_CHECKPOINT_SUBJECT, stream=stream)
    ) as messages:
        async for msg in messages:
            found.append(_decoder.decode(msg.data))
    return found


async def _last(js: JetStreamContext) -> tuple[Checkpoint | None, int]:
    """The latest checkpoint and its sequence in AUDIT_CHECKPOINTS (None, 0 when none)."""
    with contextlib.suppress(NotFoundError):
        msg = await js.get_last_msg(
            subjects.AUDIT_CHECKPOINTS_STREAM, subjects.AUDIT_CHECKPOINT_SUBJECT, direct=True
        )
        return _decoder.decode(msg.data or b""), int(msg.seq or 0)
    return None, 0


async def make(js: JetStreamContext, key: bytes, every_events: int = EVERY_EVENTS) -> int:
    """Fold the events after the latest checkpoint into the running hash and publish a
    checkpoint every `every_events` and one at the end; the number published. Its position
    is the latest checkpoint itself, so it resumes where any checkpointer left off."""
    last, position = await _last(js)
    seq, head = (last.stream_seq, last.head) if last else (0, GENESIS)
    made, since = 0, 0
    async with contextlib.aclosing(eventlog.read(js, start=seq + 1)) as messages:
        async for msg in messages:
            seq = msg.metadata.sequence.stream
            head = integrity.fold(head, seq, msg.subject, integrity.hash_of(msg.headers))
            since += 1
            if since == every_events or msg.metadata.num_pending == 0:
                position = await _publish(js, key, seq, head, position)
                made, since = made + 1, 0
    return made


async def _publish(js: JetStreamContext, key: bytes, seq: int, head: str, position: int) -> int:
    at = datetime.now(UTC).isoformat()
    checkpoint = integrity.sign(key, seq, head, at)
    headers = {
        "Nats-Msg-Id": f"checkpoint:{seq}",
        "Nats-Expected-Last-Sequence": str(position),  # one chain of checkpoints, never two
    }
    ack = await js.publish(
        subjects.AUDIT_CHECKPOINT_SUBJECT, msgspec.json.encode(checkpoint), headers=headers
    )
    log.info("checkpoint at seq %d: %s", seq, head)
    return int(ack.seq)


async def due(js: JetStreamContext, every_events: int, idle_s: float, every_s: float) -> bool:
    """`every_events` events came in since the latest checkpoint, or any did and `every_s`
    seconds went by (`idle_s`: seconds since this checkpointer last looked and made one)."""
    last, _ = await _last(js)
    info = await js.stream_info(subjects.EVENTS_STREAM)
    waiting = info.state.last_seq - (last.stream_seq if last else 0)
    return waiting >= every_events or (waiting > 0 and idle_s >= every_s)


async def run(
    js: JetStreamContext, secret: str, every_events: int = EVERY_EVENTS, every_s: float = EVERY_S
) -> None:
    """Publish checkpoints forever: after `every_events` events or `every_s` seconds."""
    if not secret:
        log.warning("no server secret (GRINDSTONE_SECRET): no audit checkpoints are made")
        return
    key = integrity.checkpoint_key(secret)
    made_at = time.monotonic()
    while True:
        try:
            if await due(js, every_events, time.monotonic() - made_at, every_s):
                await _make_once(js, key, every_events)
                made_at = time.monotonic()
        except gnats.UNAVAILABLE as exc:  # a NATS node lost: the next turn tries again
            log.warning("no checkpoint this turn, JetStream unavailable: %r", exc)
        await asyncio.sleep(POLL_S)


async def _make_once(js: JetStreamContext, key: bytes, every_events: int) -> None:
    try:
        await make(js, key, every_events)
    except APIError as exc:
        if not gnats.lost_race(exc):
            raise
        log.info("another checkpointer published first; resuming after it")
