"""Consume the EVENTS stream in order and keep every projection and the cache up to date."""

import contextlib
import logging
from collections.abc import Mapping
from typing import Any

import nats.errors
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError
from psycopg_pool import AsyncConnectionPool

from common.cache import Cache
from events import Event, codec, subjects
from services.projector import mark, schema
from services.projector.projections import PROJECTIONS

log = logging.getLogger(__name__)

_LOCK = "SELECT projection, stream_seq FROM projection_checkpoint FOR UPDATE"
_MOVE = "UPDATE projection_checkpoint SET stream_seq = %s WHERE projection = ANY(%s)"


async def handle(
    pool: AsyncConnectionPool[Any], seq: int, data: bytes, headers: Mapping[str, str] | None
) -> Event | None:
    """Apply one stream message to every projection behind it and move their checkpoints, in
    one transaction. Returns the event applied, or None (already done, or an unknown type)."""
    async with pool.connection() as conn, conn.transaction():
        rows = await (await conn.execute(_LOCK)).fetchall()
        done = {row["projection"]: row["stream_seq"] for row in rows}
        behind = [p for p in PROJECTIONS if seq > done[p.NAME]]
        if not behind:
            return None  # replayed or redelivered: already in every view
        try:
            event: Event | None = codec.decode(data, headers)
        except codec.UnknownEventType:
            event = None  # not an event this code knows; only the checkpoints move
        for projection in behind:
            if event is not None:
                await projection.apply(conn, event, seq)
        await conn.execute(_MOVE, (seq, [p.NAME for p in behind]))
    return event


async def refresh(pool: AsyncConnectionPool[Any], cache: Cache, event: Event) -> None:
    """Refresh exactly the cache keys the event touched, from the committed rows."""
    async with pool.connection() as conn:
        for projection in PROJECTIONS:
            await projection.refresh(conn, cache, event)


async def process(
    pool: AsyncConnectionPool[Any],
    cache: Cache,
    seq: int,
    data: bytes,
    headers: Mapping[str, str] | None,
) -> None:
    event = await handle(pool, seq, data, headers)
    if event is not None:
        await refresh(pool, cache, event)
        log.debug("projected %s at %d", type(event).__name__, seq)
    await mark.raise_to(cache, seq)


async def recover(js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache) -> None:
    """A crash between commit and cache refresh leaves the last event's keys stale: redo them."""
    low, high = await schema.checkpoints(pool)
    if high == 0:
        return
    try:
        msg = await js.get_msg(subjects.EVENTS_STREAM, seq=high, direct=True)
    except NotFoundError:
        msg = None
    if msg is not None and msg.data is not None:
        with contextlib.suppress(codec.UnknownEventType):  # not ours: nothing to refresh
            await refresh(pool, cache, codec.decode(msg.data, msg.headers))
    await mark.raise_to(cache, low)


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
            seq = msg.metadata.sequence.stream
            if seq <= done:
                continue  # an ordered-consumer reset re-sends what we already have
            await process(pool, cache, seq, msg.data, msg.headers)
            done = seq
    finally:
        await sub.unsubscribe()
    return done


async def catch_up(js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache) -> int:
    """Project everything the stream holds now, then return the sequence reached."""
    info = await js.stream_info(subjects.EVENTS_STREAM)
    return await consume(js, pool, cache, until=info.state.last_seq, idle_poll_s=0.2)


async def rebuild(js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache) -> int:
    """Drop and recreate the read models, reset their checkpoints and replay from seq 1."""
    await schema.drop(pool)
    await schema.create(pool)
    return await catch_up(js, pool, cache)
