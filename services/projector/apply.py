"""Apply decoded messages to every projection and move the checkpoints, in one transaction.

A message this code cannot read, or an event a projection refuses, is set aside and its
subject parked: the later events of that subject are held (set aside too) so that, once the
code is fixed, `reapply` applies them all in their order, as if nothing had happened.
"""

import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import psycopg
from psycopg import AsyncConnection

from events import Event, codec
from services.projector.projections import PROJECTIONS, Projection

log = logging.getLogger(__name__)

Message = tuple[int, str, bytes, Mapping[str, str] | None]  # (stream seq, subject, data, headers)
Decoded = tuple[int, str, Event | str]  # (stream seq, subject, the event or why it is unreadable)
SetAside = Callable[[int, str], Awaitable[None]]  # records one event set aside, with why

LOCK = "SELECT projection, stream_seq FROM projection_checkpoint FOR UPDATE"
_MOVE = "UPDATE projection_checkpoint SET stream_seq = %s WHERE projection = ANY(%s)"
_PARKED = "SELECT subject, since_seq FROM projector_parked"
_PARK = "INSERT INTO projector_parked (subject, since_seq) VALUES (%s, %s) ON CONFLICT DO NOTHING"


def decode(messages: list[Message]) -> list[Decoded]:
    decoded: list[Decoded] = []
    for seq, subject, data, headers in messages:
        try:
            decoded.append((seq, subject, codec.decode(data, headers)))
        except codec.Unreadable as exc:
            decoded.append((seq, subject, str(exc)))
    return decoded


def parked_key(subject: str) -> str:
    """A subject as `projector_parked` keeps it: escaped, as text cannot hold a NUL (anyone
    may publish on such a subject); the subjects Grindstone writes are kept as they are."""
    return subject.encode("unicode_escape").decode("ascii")


def subject_of(key: str) -> str:
    return key.encode("ascii").decode("unicode_escape")


def about_the_event(exc: BaseException) -> bool:
    """A failure this event causes: a value the store refuses (bad data, a broken constraint)
    or a projection that cannot take it. Anything else (the database or the network away, a
    table missing, a cached plan outdated by a schema change) is worth a restart instead."""
    return isinstance(
        exc,
        psycopg.DataError
        | psycopg.IntegrityError
        | ValueError
        | TypeError
        | LookupError
        | AttributeError,
    )


async def only_log(seq: int, reason: str) -> None:
    log.warning("event %d cannot be applied: %s", seq, reason)


async def apply(
    conn: AsyncConnection[Any],
    messages: list[Decoded],
    set_aside: SetAside = only_log,
    projections: Sequence[Projection] = PROJECTIONS,
) -> list[Event]:
    """Apply in one pipeline; if an event makes that fail, again with each event in a
    savepoint of its own. Returns the events applied (not those already done or set aside).
    `projections`: those to apply (a replay catching its own tables up applies only its own)."""
    try:
        return await _apply(conn, messages, set_aside, projections, careful=False)
    except Exception as exc:
        if not about_the_event(exc):
            raise
        log.info("a batch up to %d failed (%s); event by event now", messages[-1][0], exc)
    return await _apply(conn, messages, set_aside, projections, careful=True)


async def _apply(
    conn: AsyncConnection[Any],
    messages: list[Decoded],
    set_aside: SetAside,
    projections: Sequence[Projection],
    careful: bool,
) -> list[Event]:
    applied: list[Event] = []
    async with contextlib.AsyncExitStack() as stack:
        if not careful:  # BEGIN, the two reads, then the statements and COMMIT go out together
            await stack.enter_async_context(conn.pipeline())
        await stack.enter_async_context(conn.transaction())
        locked, parked_rows = await conn.execute(LOCK), await conn.execute(_PARKED)
        done = {row["projection"]: row["stream_seq"] for row in await locked.fetchall()}
        start = dict(done)
        parked = {subject_of(r["subject"]): r["since_seq"] for r in await parked_rows.fetchall()}
        for seq, subject, event in messages:
            behind = [p for p in projections if seq > done[p.NAME]]
            if not behind:
                continue
            if isinstance(event, str):
                reason = event
            elif subject in parked:
                reason = f"held behind event {parked[subject]} of its subject, set aside before"
            else:
                reason = await _apply_one(conn, event, seq, behind, careful)
                if reason is None:
                    applied.append(event)
            if reason is not None:
                await set_aside(seq, reason)
                if subject not in parked:
                    parked[subject] = seq
                    await conn.execute(_PARK, (parked_key(subject), seq))
            for projection in behind:
                done[projection.NAME] = seq
        for seq in sorted({done[name] for name in done if done[name] != start[name]}):
            moved = [name for name in done if done[name] == seq != start[name]]
            await conn.execute(_MOVE, (seq, moved))
    return applied


async def _apply_one(
    conn: AsyncConnection[Any], event: Event, seq: int, projections: list[Projection], careful: bool
) -> str | None:
    """Apply one event; when `careful`, in a savepoint, and why it failed instead of raising."""
    if not careful:
        for projection in projections:
            await projection.apply(conn, event, seq)
        return None
    try:
        async with conn.transaction():  # a savepoint: a refused event leaves nothing behind
            for projection in projections:
                await projection.apply(conn, event, seq)
    except Exception as exc:
        if not about_the_event(exc):
            raise
        return why(exc)
    return None


def why(exc: Exception) -> str:
    """The reason an operator reads: who refused the event, and how."""
    who = "PostgreSQL refused it" if isinstance(exc, psycopg.Error) else "the projection failed"
    return f"{who}: {type(exc).__name__}: {exc}"
