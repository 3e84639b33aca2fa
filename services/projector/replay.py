"""Rebuild read models from the EVENTS stream into new tables while the old ones keep serving,
then switch them in one transaction (docs/design.md, "Replay").

1. New tables in the schema `grindstone_replay`, made by each projection's own SCHEMA, with a
   `projection_checkpoint` and `projector_parked` of their own.
2. The stream read once, in bulk, each projection folding it in memory (its `Rebuilt`; the
   submissions' is events/fold.py), the rows written with COPY; their checkpoint is the last
   event read.
3. Caught up, outside any lock, with the projector's own apply (search_path on the new schema),
   until the new tables are at most CLOSE_ENOUGH events behind the live ones.
4. The switch, one transaction: lock the live checkpoints (the live projector's every batch
   takes that lock first, so it waits), apply the last events up to where the live tables are,
   move the live tables into `grindstone_replaced` and the new ones in, set the live checkpoints
   to the new tables', take over their parked subjects. The live projector then goes on from
   there. Readers never see a missing table: ALTER waits for their statements, theirs for it.
5. The old tables dropped, the read-model keys of the rebuilt projections cleared from Valkey
   (readers fill them from the new tables), the events set aside applied again
   (services/projector/reapply.py).
"""

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
import psycopg
from nats.js import JetStreamContext
from psycopg import AsyncConnection, sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from common import eventlog, setaside
from common.cache import Cache
from events import codec
from services.projector import apply, reapply, runner, schema
from services.projector.projections import PROJECTIONS, Builder, Projection

log = logging.getLogger(__name__)

NEW = "grindstone_replay"  # the tables being built
OLD = "grindstone_replaced"  # the tables switched out, dropped right after
LOCK_KEY = "grindstone-replay"  # one replay at a time (a session advisory lock)
CLOSE_ENOUGH = 2000  # events the new tables may lag when the switch starts (applied under lock)
CATCH_UP_BATCH = 500  # events per transaction while catching up
PROGRESS_EVERY = 2000  # events between progress callbacks
UNLINK_BATCH = 1000  # cache keys per SCAN/UNLINK round trip

Progress = Callable[[int], None]  # told how many more events were read


class Busy(Exception):
    """Another replay is running."""


class Report(msgspec.Struct, frozen=True, kw_only=True):
    projections: list[str]
    events: int  # events read from the stream (in bulk and catching up)
    seconds: float  # the whole replay, from the first read to the caches cleared
    bulk_events: int
    bulk_seconds: float  # reading, folding and writing the bulk of the stream
    switched_at: int  # the stream sequence the rebuilt tables had when they went live
    keys_cleared: int
    subjects_reapplied: int  # set-aside subjects applied after the switch

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def chosen(names: Sequence[str] | None) -> list[Projection]:
    """The projections to rebuild: those named (LookupError on an unknown one), else all."""
    if not names:
        return list(PROJECTIONS)
    known = {p.NAME: p for p in PROJECTIONS} | {short(p.NAME): p for p in PROJECTIONS}
    unknown = [name for name in names if name not in known]
    if unknown:
        there = ", ".join(short(p.NAME) for p in PROJECTIONS)
        raise LookupError(f"no projection {', '.join(unknown)}; there are {there}")
    return list({known[name].NAME: known[name] for name in names}.values())


def short(name: str) -> str:
    """A projection's name without its table version: `submissions` for `submissions_v2`."""
    return name.rsplit("_v", 1)[0] if name.rsplit("_v", 1)[-1].isdigit() else name


async def replay(
    js: JetStreamContext,
    pool: AsyncConnectionPool[Any],
    cache: Cache,
    names: Sequence[str] | None = None,
    progress: Progress = lambda n: None,
) -> Report:
    """Rebuild the named projections (all by default) and switch them in; see the module."""
    projections = chosen(names)
    full = len(projections) == len(PROJECTIONS)
    await schema.create(pool)  # the live tables exist
    started = time.perf_counter()
    conn = await psycopg.AsyncConnection.connect(
        pool.conninfo, autocommit=True, row_factory=dict_row, prepare_threshold=None
    )
    try:
        locking = "SELECT pg_try_advisory_lock(hashtext(%s)) AS ok"
        row = await (await conn.execute(locking, (LOCK_KEY,))).fetchone()
        if not row or not row["ok"]:
            raise Busy("another replay is running")
        live = await _prepare(conn, projections, full)
        await conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(NEW)))
        bulk = await _build(js, conn, projections, progress)
        bulk_seconds = time.perf_counter() - started
        caught = await _catch_up(js, conn, projections, live, progress)
        switched, last = await _switch(js, conn, projections, live, full, progress)
        await conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(OLD)))
        await conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(NEW)))
    finally:
        await conn.close()  # and with it the advisory lock
    cleared = await clear(cache, projections)
    reapplied = await reapply.set_aside_events(js, pool, cache)
    # again: a query API fill that read an old table just before the switch may land late
    cleared += await clear(cache, projections)
    report = Report(
        projections=[p.NAME for p in projections],
        events=bulk + caught + switched,
        seconds=time.perf_counter() - started,
        bulk_events=bulk,
        bulk_seconds=bulk_seconds,
        switched_at=last,
        keys_cleared=cleared,
        subjects_reapplied=reapplied,
    )
    log.info("replayed %s: %d events, %.0f/s", report.projections, report.events, report.rate)
    return report


def _schema(name: str) -> sql.Identifier:
    return sql.Identifier(name)


async def _prepare(conn: AsyncConnection[Any], projections: list[Projection], full: bool) -> str:
    """Empty new tables and their checkpoints in NEW (a replay that stopped leaves old ones);
    returns the live tables' schema."""
    row = await (await conn.execute("SELECT current_schema() AS live")).fetchone()
    assert row is not None
    live = str(row["live"])
    for name in (NEW, OLD):
        await conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(_schema(name)))
        await conn.execute(sql.SQL("CREATE SCHEMA {}").format(_schema(name)))
    async with conn.transaction():
        await conn.execute(sql.SQL("SET LOCAL search_path TO {}").format(_schema(NEW)))
        await conn.execute(schema.CHECKPOINTS)
        await conn.execute(schema.PARKED)
        for projection in projections:
            await conn.execute(projection.SCHEMA)
            await conn.execute(
                "INSERT INTO projection_checkpoint (projection, stream_seq) VALUES (%s, 0)",
                (projection.NAME,),
            )
        if not full:  # the other projections hold these subjects back too: so do the new tables
            await conn.execute(
                sql.SQL("INSERT INTO projector_parked SELECT * FROM {}.projector_parked").format(
                    _schema(live)
                )
            )
    return live


async def _build(
    js: JetStreamContext,
    conn: AsyncConnection[Any],
    projections: list[Projection],
    progress: Progress,
) -> int:
    """Read the whole stream, fold it in memory, COPY the rows into NEW; events read."""
    builders = [(p, p.Rebuilt()) for p in projections]
    parked = await _parked(conn)
    read, upto, told = 0, 0, 0
    async with contextlib.aclosing(eventlog.read(js)) as messages:
        async for msg in messages:
            seq = msg.metadata.sequence.stream
            read, upto = read + 1, seq
            try:
                event = codec.decode(msg.data, msg.headers)
            except codec.Unreadable as exc:
                reason = str(exc)
            else:
                refused = None
                for _, builder in builders:
                    refused = refused or builder.refused(event)
                if msg.subject not in parked and refused is None:
                    for _, builder in builders:
                        builder.add(event, seq)
                    if read - told >= PROGRESS_EVERY:
                        progress(read - told)
                        told = read
                    continue
                held = (
                    f"held behind event {parked.get(msg.subject)} of its subject, set aside before"
                )
                reason = held if msg.subject in parked else str(refused)
            await setaside.record(js, runner.CONSUMER, seq, reason)
            parked.setdefault(msg.subject, seq)
    progress(read - told)
    try:
        await _write(conn, builders, upto, parked)
    except Exception as exc:
        if not apply.about_the_event(exc):
            raise
        # a folded row PostgreSQL refuses: which event made it is not known here, so the
        # stream is applied again the projector's way, which sets that event aside
        log.warning("a rebuilt row was refused (%s); applying the events one batch at a time", exc)
        await _reset(conn, projections)
        await _apply_range(js, conn, projections, 1, upto, lambda n: None)
    return read


async def _write(
    conn: AsyncConnection[Any],
    builders: list[tuple[Projection, Builder]],
    upto: int,
    parked: dict[str, int],
) -> None:
    """COPY the folded rows into NEW and set its checkpoints, in one transaction."""
    async with conn.transaction():
        for projection, builder in builders:
            await _copy(conn, projection, builder.rows())
        await conn.execute("UPDATE projection_checkpoint SET stream_seq = %s", (upto,))
        for subject, since in parked.items():
            await conn.execute(
                "INSERT INTO projector_parked VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (apply.parked_key(subject), since),
            )


async def _reset(conn: AsyncConnection[Any], projections: list[Projection]) -> None:
    """The new tables empty again, at checkpoint 0 (the parked subjects they were given stay)."""
    async with conn.transaction():
        for projection in projections:
            await conn.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(projection.NAME)))
        await conn.execute("UPDATE projection_checkpoint SET stream_seq = 0")


async def _parked(conn: AsyncConnection[Any]) -> dict[str, int]:
    rows = await (await conn.execute("SELECT subject, since_seq FROM projector_parked")).fetchall()
    return {apply.subject_of(row["subject"]): int(row["since_seq"]) for row in rows}


async def _copy(conn: AsyncConnection[Any], projection: Projection, rows: Any) -> None:
    columns = sql.SQL(", ").join(map(sql.Identifier, projection.COLUMNS))
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(projection.NAME), columns)
    async with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            await copy.write_row(row)


async def _new_done(conn: AsyncConnection[Any]) -> int:
    query = "SELECT min(stream_seq) AS done FROM projection_checkpoint"  # NEW's
    row = await (await conn.execute(query)).fetchone()
    return int(row["done"]) if row and row["done"] is not None else 0


async def _live_done(
    conn: AsyncConnection[Any], live: str, projections: list[Projection], lock: bool
) -> int:
    """Where the live tables of these projections are; with `lock`, every live checkpoint
    locked as the projector's own batches lock them (apply.LOCK), so it waits."""
    locked = sql.SQL(" FOR UPDATE" if lock else "")
    query = sql.SQL("SELECT projection, stream_seq FROM {}.projection_checkpoint{}").format(
        _schema(live), locked
    )
    rows = await (await conn.execute(query)).fetchall()
    names = {p.NAME for p in projections}
    return max((int(r["stream_seq"]) for r in rows if r["projection"] in names), default=0)


async def _apply_range(
    js: JetStreamContext,
    conn: AsyncConnection[Any],
    projections: list[Projection],
    start: int,
    end: int,
    progress: Progress,
) -> int:
    """Apply events start..end to the new tables (search_path NEW) the way the live projector
    does, in batches; events read."""

    async def set_aside(seq: int, reason: str) -> None:
        await setaside.record(js, runner.CONSUMER, seq, reason)

    batch: list[apply.Message] = []
    read = 0
    async with contextlib.aclosing(eventlog.read(js, start=start)) as messages:
        async for msg in messages:
            seq = msg.metadata.sequence.stream
            if seq > end:
                break
            batch.append((seq, msg.subject, msg.data, msg.headers))
            if len(batch) >= CATCH_UP_BATCH or seq == end:
                await apply.apply(conn, apply.decode(batch), set_aside, projections)
                progress(len(batch))
                read, batch = read + len(batch), []
    if batch:
        await apply.apply(conn, apply.decode(batch), set_aside, projections)
        read += len(batch)
        progress(len(batch))
    # events of the range the stream no longer holds are passed over, as the live consumer does
    moved = "UPDATE projection_checkpoint SET stream_seq = greatest(stream_seq, %s)"
    await conn.execute(moved, (end,))
    return read


async def _catch_up(
    js: JetStreamContext,
    conn: AsyncConnection[Any],
    projections: list[Projection],
    live: str,
    progress: Progress,
) -> int:
    """Follow the live tables without a lock until within CLOSE_ENOUGH events of them."""
    read = 0
    while True:
        done, target = await _new_done(conn), await _live_done(conn, live, projections, False)
        if target - done <= CLOSE_ENOUGH:
            return read
        read += await _apply_range(js, conn, projections, done + 1, target, progress)


async def _switch(
    js: JetStreamContext,
    conn: AsyncConnection[Any],
    projections: list[Projection],
    live: str,
    full: bool,
    progress: Progress,
) -> tuple[int, int]:
    """The one transaction that puts the new tables live; (events applied in it, checkpoint)."""
    read = 0
    async with conn.transaction():
        target = await _live_done(conn, live, projections, True)  # the live projector waits now
        done = await _new_done(conn)
        if target > done:
            read = await _apply_range(js, conn, projections, done + 1, target, progress)
        for projection in projections:
            table = sql.Identifier(projection.NAME)
            move = sql.SQL("ALTER TABLE {}.{} SET SCHEMA {}")
            await conn.execute(move.format(_schema(live), table, _schema(OLD)))
            await conn.execute(move.format(_schema(NEW), table, _schema(live)))
        await conn.execute(
            sql.SQL(
                "UPDATE {live}.projection_checkpoint c SET stream_seq = n.stream_seq "
                "FROM {new}.projection_checkpoint n WHERE c.projection = n.projection"
            ).format(live=_schema(live), new=_schema(NEW))
        )
        if full:  # what the rebuilt tables hold back is all that is held back now
            await conn.execute(sql.SQL("DELETE FROM {}.projector_parked").format(_schema(live)))
        await conn.execute(
            sql.SQL(
                "INSERT INTO {live}.projector_parked SELECT subject, since_seq "
                "FROM {new}.projector_parked ON CONFLICT DO NOTHING"
            ).format(live=_schema(live), new=_schema(NEW))
        )
        last = await _new_done(conn)
    return read, last


async def clear(cache: Cache, projections: list[Projection]) -> int:
    """Drop every cached key of these projections (readers fill them again from the tables
    now live); how many were dropped."""
    dropped = 0
    for projection in projections:
        for pattern in projection.CACHED:
            keys: list[Any] = []
            async for key in cache.client.scan_iter(match=pattern, count=UNLINK_BATCH):
                keys.append(key)
                if len(keys) >= UNLINK_BATCH:
                    dropped += await cache.client.unlink(*keys)
                    keys = []
            if keys:
                dropped += await cache.client.unlink(*keys)
    return dropped
