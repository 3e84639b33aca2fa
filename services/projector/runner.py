"""Consume the EVENTS stream in order and keep every projection and the cache up to date."""

import contextlib
import logging
import time
from collections.abc import Mapping
from typing import Any

import nats.errors
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from common import setaside
from common.cache import Cache
from events import Event, codec, subjects
from services.projector import apply, mark, schema, telemetry
from services.projector.projections import PROJECTIONS

log = logging.getLogger(__name__)

BATCH = 100  # messages already waiting that one transaction takes at most
CONSUMER = "projector"  # its name on the SET_ASIDE stream


async def handle(
    pool: AsyncConnectionPool[Any],
    seq: int,
    subject: str,
    data: bytes,
    headers: Mapping[str, str] | None,
) -> Event | None:
    """Apply one stream message (see `handle_batch`); the event applied, or None."""
    applied = await handle_batch(pool, apply.decode([(seq, subject, data, headers)]))
    return applied[0] if applied else None


async def handle_batch(
    pool: AsyncConnectionPool[Any],
    messages: list[apply.Decoded],
    set_aside: apply.SetAside = apply.only_log,
) -> list[Event]:
    """Apply events (in stream order) to every projection behind each and move their
    checkpoints, in one transaction. Returns the events applied (not those already done)."""
    async with pool.connection() as conn:
        return await apply.apply(conn, messages, set_aside)


async def refresh(
    conn: AsyncConnection[Any], cache: Cache, events: list[Event], mark_to: int
) -> None:
    """Refresh exactly the cache keys the events touched, from the committed rows, then raise
    the mark: queued in one pipeline, which Valkey runs in that order."""
    async with cache.client.pipeline(transaction=False) as pipe:
        queued = Cache(pipe)
        if events:
            for projection in PROJECTIONS:
                await projection.refresh(conn, queued, events)
        await mark.raise_to(queued, mark_to)
        await pipe.execute()


async def process(
    js: JetStreamContext,
    pool: AsyncConnectionPool[Any],
    cache: Cache,
    messages: list[apply.Message],
) -> None:
    """Commit a batch, then refresh its keys and raise the mark to its last sequence. What
    cannot be read or applied is set aside (recorded before the checkpoint passes it)."""

    async def set_aside(seq: int, reason: str) -> None:
        await setaside.record(js, CONSUMER, seq, reason)

    started = time.monotonic()
    async with pool.connection() as conn:
        events = await apply.apply(conn, apply.decode(messages), set_aside)
        await refresh(conn, cache, events, messages[-1][0])
    telemetry.batch_done(len(messages), time.monotonic() - started)
    log.debug("projected %d events up to %d", len(events), messages[-1][0])


async def recover(js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache) -> None:
    """A crash between commit and cache refresh leaves the keys of the last batch stale: redo
    them (those of the last BATCH messages; a refresh from committed rows is idempotent)."""
    low, high = await schema.checkpoints(pool)
    if high == 0:
        return
    events = []
    for seq in range(max(1, high - BATCH + 1), high + 1):
        try:
            msg = await js.get_msg(subjects.EVENTS_STREAM, seq=seq, direct=True)
        except NotFoundError:
            continue
        if msg.data is not None:
            with contextlib.suppress(codec.Unreadable):  # set aside: nothing to refresh
                events.append(codec.decode(msg.data, msg.headers))
    async with pool.connection() as conn:
        await refresh(conn, cache, events, low)


async def _subscribe(js: JetStreamContext, start: int) -> JetStreamContext.PushSubscription:
    config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start)
    return await js.subscribe(
        subjects.EVENTS_SUBJECTS[0],
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        config=config,
    )


async def consume(
    js: JetStreamContext,
    pool: AsyncConnectionPool[Any],
    cache: Cache,
    *,
    until: int | None = None,
    idle_poll_s: float = 1.0,
) -> int:
    """Project from the lowest checkpoint + 1; forever, or until `until` is reached.
    Any failure propagates: the caller crashes and resumes from the checkpoint."""
    done, _ = await schema.checkpoints(pool)
    if until is not None and done >= until:
        return done
    sub = await _subscribe(js, done + 1)
    try:
        while until is None or done < until:
            try:
                msg = await sub.next_msg(timeout=idle_poll_s)
            except nats.errors.TimeoutError:
                if until is not None and (await sub.consumer_info()).num_pending == 0:
                    break  # the rest of the range is gone from the stream
                continue
            batch = await _batch(sub, msg, done, until)
            if batch:
                await process(js, pool, cache, batch)
                done = batch[-1][0]
    finally:
        await sub.unsubscribe()
    return done


async def _batch(
    sub: JetStreamContext.PushSubscription, first: Msg, done: int, until: int | None
) -> list[apply.Message]:
    """`first` and what is already waiting behind it, past `done` and up to `until`."""
    batch: list[apply.Message] = []
    msg: Msg | None = first
    while msg is not None:
        seq = msg.metadata.sequence.stream
        if seq > done:  # an ordered-consumer reset re-sends what we already have
            batch.append((seq, msg.subject, msg.data, msg.headers))
            done = seq
        msg = None
        if len(batch) < BATCH and sub.pending_msgs > 0 and (until is None or done < until):
            msg = await sub.next_msg(timeout=None)
    return batch


async def catch_up(js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache) -> int:
    """Project everything the stream holds now, then return the sequence reached."""
    info = await js.stream_info(subjects.EVENTS_STREAM)
    return await consume(js, pool, cache, until=info.state.last_seq, idle_poll_s=0.2)


async def rebuild(js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache) -> int:
    """Drop and recreate the read models, reset their checkpoints and replay from seq 1."""
    await schema.drop(pool)
    await schema.create(pool)
    return await catch_up(js, pool, cache)
