"""Apply the events the projector set aside, once the code that refused them is fixed."""

import logging
from typing import Any

from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from common import nats as gnats
from common import setaside
from common.cache import Cache
from events import Event
from services.projector import apply, runner
from services.projector.projections import PROJECTIONS

log = logging.getLogger(__name__)

_PARKED = "SELECT subject, since_seq FROM projector_parked ORDER BY since_seq"
_UNPARK = "DELETE FROM projector_parked WHERE subject = %s"


async def set_aside_events(
    js: JetStreamContext, pool: AsyncConnectionPool[Any], cache: Cache
) -> int:
    """Each parked subject's events from the first one set aside on, in order, in one
    transaction; a subject that still fails stays parked. Returns how many subjects were."""
    async with pool.connection() as conn:
        parked = await (await conn.execute(_PARKED)).fetchall()
    unparked = 0
    for row in parked:
        subject, since = row["subject"], row["since_seq"]
        messages = [
            (int(m.seq or 0), subject, m.data or b"", m.headers)
            async for m in gnats.subject_messages(js, subject, start=since)
        ]
        if await _apply_subject(pool, cache, subject, apply.decode(messages)):
            for seq, *_ in messages:
                await setaside.forget(js, runner.CONSUMER, seq)
            log.info("applied %d held events of %s", len(messages), subject)
            unparked += 1
    return unparked


async def _apply_subject(
    pool: AsyncConnectionPool[Any], cache: Cache, subject: str, decoded: list[apply.Decoded]
) -> bool:
    events: list[Event] = []
    for seq, _, event in decoded:
        if isinstance(event, str):
            log.warning("%s stays set aside: event %d %s", subject, seq, event)
            return False
        events.append(event)
    try:
        async with pool.connection() as conn:
            async with conn.transaction():
                await conn.execute(apply.LOCK)  # the consumer parks and holds under this lock
                for (seq, _, _), event in zip(decoded, events, strict=True):
                    for projection in PROJECTIONS:
                        await projection.apply(conn, event, seq)
                await conn.execute(_UNPARK, (subject,))
            await runner.refresh(conn, cache, events, 0)
    except Exception as exc:
        if not apply.about_the_event(exc):
            raise
        log.warning("%s stays set aside: %s: %s", subject, type(exc).__name__, exc)
        return False
    return True
