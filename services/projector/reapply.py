"""Apply the events the projector set aside, once the code that refused them is fixed.

Per parked subject, in one transaction holding the checkpoints' lock (so the consumer waits):
its events from the first one set aside up to the checkpoints, in order, each to the
projections whose checkpoint has passed it; then the subject is unparked and its later events
are the consumer's again. A subject whose events still cannot be read or applied stays parked.
"""

import logging
from typing import Any

from nats.js import JetStreamContext
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from common import nats as gnats
from common import setaside
from common.cache import Cache
from events import Event
from services.projector import apply, runner, schema
from services.projector.projections import PROJECTIONS

log = logging.getLogger(__name__)

_PARKED = "SELECT subject, since_seq FROM projector_parked ORDER BY since_seq"
_UNPARK = "DELETE FROM projector_parked WHERE subject = %s"

Applied = list[tuple[int, Event]]  # (stream seq, event) of one subject, in order


async def set_aside_events(
    js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache
) -> int:
    """Apply every parked subject that can be applied now; returns how many were."""
    await _forget_applied(js, pool)
    async with pool.connection() as conn:
        parked = await (await conn.execute(_PARKED)).fetchall()
    unparked = 0
    for row in parked:
        subject = apply.subject_of(row["subject"])
        applied = await _apply_subject(js, pool, cache, subject, row["since_seq"])
        if applied is not None:
            for seq, _ in applied:
                await setaside.forget(js, runner.CONSUMER, seq)
            log.info("applied %d held events of %s", len(applied), subject)
            unparked += 1
    return unparked


async def _apply_subject(
    js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache, subject: str, since: int
) -> Applied | None:
    """The events applied and the subject unparked, or None: it stays parked (logged why)."""
    try:
        async with pool.connection() as conn:
            async with conn.transaction():
                rows = await (await conn.execute(apply.LOCK)).fetchall()
                done = {row["projection"]: row["stream_seq"] for row in rows}
                applied = await _held(js, subject, since, max(done.values(), default=0))
                if applied is None:
                    return None
                await _apply_all(conn, applied, done)
                await conn.execute(_UNPARK, (apply.parked_key(subject),))
            await runner.refresh(conn, cache, [event for _, event in applied], 0)
    except Exception as exc:
        if not apply.about_the_event(exc):
            raise
        log.warning("%s stays set aside: %s", subject, apply.why(exc))
        return None
    return applied


async def _held(js: JetStreamContext, subject: str, since: int, upto: int) -> Applied | None:
    """The subject's events from `since` to `upto`, or None when one still cannot be read."""
    found = gnats.subject_messages(js, subject, start=since, before=upto + 1)
    messages = [(int(m.seq or 0), subject, m.data or b"", m.headers) async for m in found]
    held: Applied = []
    for seq, _, event in apply.decode(messages):
        if isinstance(event, str):
            log.warning("%s stays set aside: event %d %s", subject, seq, event)
            return None
        held.append((seq, event))
    return held


async def _apply_all(conn: AsyncConnection[Any], held: Applied, done: dict[str, int]) -> None:
    for seq, event in held:
        for projection in PROJECTIONS:
            if seq <= done[projection.NAME]:  # later ones are the consumer's, in stream order
                await projection.apply(conn, event, seq)


async def _forget_applied(js: JetStreamContext, pool: AsyncConnectionPool[Any]) -> None:
    """Drop the records of events applied by a reapply that stopped before forgetting them:
    behind the checkpoints (read first), on a subject no longer parked."""
    low, _ = await schema.checkpoints(pool)
    async with pool.connection() as conn:
        rows = await (await conn.execute(_PARKED)).fetchall()
    parked = {apply.subject_of(row["subject"]) for row in rows}
    for record in await setaside.records(js, runner.CONSUMER):
        if record.seq <= low and record.subject not in parked:
            await setaside.forget(js, runner.CONSUMER, record.seq)
