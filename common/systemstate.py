"""The state of a running system for an operator: streams, consumers, projector lag, graders,
dead letters, set-aside events, throughput; and what of it needs a person.

`grindstone status` prints it and the `/ops/` page shows it: both call `gather`. Graders say
they are alive by a key each in the KV bucket `graders` (services/grader/heartbeat.py), which
the bucket's TTL drops when a grader stops writing it.
"""

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import psycopg.errors
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy, KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError, NoKeysError, NotFoundError
from psycopg_pool import AsyncConnectionPool

from common import settings
from events import subjects

GRADERS_BUCKET = "graders"
HEARTBEAT_EVERY_S = 5.0  # a grader rewrites its key this often
HEARTBEAT_TTL_S = 15.0  # and is taken for dead when it has not for this long
# status exits non-zero beyond either (named so the /ops/ page and the CLI agree)
LAG_LIMIT_EVENTS = 10_000
LAG_LIMIT_S = 60.0
RATE_WINDOW_S = 60.0  # graded submissions are counted over this window
RATE_MAX_SCAN = 20_000  # submission events read to count them; beyond, the count is scaled
RATE_BUFFER = 65_536  # messages buffered while counting them; the server holds the rest
RATE_READ_TIMEOUT_S = 10.0  # a stored message not sent within this is an outage
GRADER_CONSUMERS = "grader-"  # the graders' durable consumers' names start so
CACHE_MARK_KEY = "projector:checkpoint"  # services/projector/mark.py raises it


class GraderBeat(msgspec.Struct, frozen=True, kw_only=True):
    """A grader's heartbeat: the value of its key in the `graders` bucket."""

    grader_id: str
    slots: int
    busy: int
    at: datetime


class ConsumerState(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    durable: bool
    pending: int  # messages not yet delivered to it
    ack_pending: int  # delivered, not yet acknowledged
    redelivered: int  # delivered more than once, not yet acknowledged
    waiting: int  # pull requests waiting for messages


class StreamState(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    messages: int
    bytes: int
    first_seq: int
    last_seq: int
    consumers: list[ConsumerState]


class ProjectionLag(msgspec.Struct, frozen=True, kw_only=True):
    projection: str
    checkpoint: int
    lag_events: int  # EVENTS' last sequence - checkpoint
    lag_s: float  # age of the oldest event not yet applied (0 when none)


class SystemState(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    streams: list[StreamState]
    projections: list[ProjectionLag]
    cache_checkpoint: int | None  # Valkey's projector:checkpoint, None when not read
    graders: list[GraderBeat]
    jobs_waiting: int  # messages the graders' consumers have not taken yet
    dead_letters: int  # messages in GRADING_DEAD
    set_aside: int  # messages in SET_ASIDE
    graded_last_minute: int  # SubmissionGraded events in the last RATE_WINDOW_S
    problems: list[str]  # each a sentence; non-empty: a person should look
    # graded_last_minute scaled from the newest RATE_MAX_SCAN submission events of a busier window
    graded_estimated: bool = False


def graders_bucket_config() -> KeyValueConfig:
    return KeyValueConfig(
        bucket=GRADERS_BUCKET,
        history=1,
        ttl=HEARTBEAT_TTL_S,
        storage=StorageType.MEMORY,
        replicas=settings.nats_replicas(),
    )


async def gather(
    js: JetStreamContext, pool: AsyncConnectionPool[Any], valkey: Any = None
) -> SystemState:
    """Everything at once; `valkey` (a valkey.asyncio client) adds the cache's mark."""
    now = datetime.now(UTC)
    streams = await stream_states(js)
    by_name = {s.name: s for s in streams}
    events = by_name.get(subjects.EVENTS_STREAM)
    last_seq = events.last_seq if events else 0
    projections = await projection_lags(js, pool, last_seq, now)
    graders = await alive_graders(js)
    waiting = _jobs_waiting(streams)
    graded, estimated = await graded_since(js, now - timedelta(seconds=RATE_WINDOW_S))
    state = SystemState(
        at=now,
        streams=streams,
        projections=projections,
        cache_checkpoint=await _cache_mark(valkey),
        graders=graders,
        jobs_waiting=waiting,
        dead_letters=_messages(by_name, subjects.DEAD_LETTER_STREAM),
        set_aside=_messages(by_name, subjects.SET_ASIDE_STREAM),
        graded_last_minute=graded,
        graded_estimated=estimated,
        problems=[],
    )
    return msgspec.structs.replace(state, problems=problems(state))


def problems(state: SystemState) -> list[str]:
    """Sentences naming what needs a person (empty: nothing does)."""
    found = []
    if state.dead_letters:
        found.append(
            f"{state.dead_letters} dead-lettered grading job(s) in {subjects.DEAD_LETTER_STREAM}"
        )
    if state.set_aside:
        found.append(f"{state.set_aside} set-aside event(s): see `grindstone set-aside`")
    if state.jobs_waiting and not state.graders:
        found.append(f"no grader is alive while {state.jobs_waiting} message(s) wait for one")
    for lag in state.projections:
        if lag.lag_events > LAG_LIMIT_EVENTS or lag.lag_s > LAG_LIMIT_S:
            found.append(
                f"projection {lag.projection} is {lag.lag_events} events ({lag.lag_s:.0f} s) "
                f"behind (limits {LAG_LIMIT_EVENTS} events, {LAG_LIMIT_S:.0f} s)"
            )
    return found


async def stream_states(js: JetStreamContext) -> list[StreamState]:
    """Every stream with its consumers (the KV buckets' streams too), by name."""
    found = []
    for info in sorted(await js.streams_info(), key=lambda i: i.config.name or ""):
        name = info.config.name or ""
        consumers = [_consumer(c) for c in await js.consumers_info(name)]
        found.append(
            StreamState(
                name=name,
                messages=info.state.messages,
                bytes=info.state.bytes,
                first_seq=info.state.first_seq,
                last_seq=info.state.last_seq,
                consumers=sorted(consumers, key=lambda c: (not c.durable, c.name)),
            )
        )
    return found


def _consumer(info: Any) -> ConsumerState:
    return ConsumerState(
        name=info.name,
        durable=bool(info.config.durable_name),
        pending=info.num_pending or 0,
        ack_pending=info.num_ack_pending or 0,
        redelivered=info.num_redelivered or 0,
        waiting=info.num_waiting or 0,
    )


async def projection_lags(
    js: JetStreamContext, pool: AsyncConnectionPool[Any], last_seq: int, now: datetime
) -> list[ProjectionLag]:
    """Each projection's checkpoint (projection_checkpoint) against the stream's last seq."""
    async with pool.connection() as conn:
        try:
            cur = await conn.execute(
                "SELECT projection, stream_seq FROM projection_checkpoint ORDER BY projection"
            )
        except psycopg.errors.UndefinedTable:  # no schema yet: nothing projected
            return []
        rows = await cur.fetchall()
    ages: dict[int, float] = {}
    lags = []
    for row in rows:
        name, done = _row(row)
        behind = max(0, last_seq - done)
        if behind and done not in ages:
            ages[done] = await _age_after(js, done, now)
        lags.append(
            ProjectionLag(
                projection=name,
                checkpoint=done,
                lag_events=behind,
                lag_s=ages.get(done, 0.0) if behind else 0.0,
            )
        )
    return lags


def _row(row: Any) -> tuple[str, int]:
    if isinstance(row, dict):
        return str(row["projection"]), int(row["stream_seq"])
    return str(row[0]), int(row[1])


async def _age_after(js: JetStreamContext, done: int, now: datetime) -> float:
    """Seconds since the first event after `done` was stored."""
    try:
        msg = await js.get_msg(
            subjects.EVENTS_STREAM,
            seq=done + 1,
            subject=subjects.EVENTS_SUBJECTS[0],
            next=True,
            direct=True,
        )
    except NotFoundError:
        return 0.0
    stored = stored_at(msg.headers)
    return max(0.0, (now - stored).total_seconds()) if stored else 0.0


def stored_at(headers: dict[str, str] | None) -> datetime | None:
    """When the server stored a message read by direct get (its Nats-Time-Stamp header)."""
    stamp = (headers or {}).get("Nats-Time-Stamp", "")
    try:
        return datetime.fromisoformat(stamp[:26].rstrip("Z") + "+00:00")
    except ValueError:
        return None


async def alive_graders(js: JetStreamContext) -> list[GraderBeat]:
    """Graders whose heartbeat has not lapsed, by id."""
    try:
        kv = await js.key_value(GRADERS_BUCKET)
        keys = await kv.keys()
    except (BucketNotFoundError, NoKeysError, NotFoundError):
        return []
    beats = []
    for key in keys:
        with contextlib.suppress(NotFoundError, msgspec.ValidationError, msgspec.DecodeError):
            entry = await kv.get(key)
            if entry.value:
                beats.append(msgspec.json.decode(entry.value, type=GraderBeat))
    return sorted(beats, key=lambda b: b.grader_id)


def _jobs_waiting(streams: list[StreamState]) -> int:
    """Messages the graders' durable consumers (`grader-...`: students' submissions and
    ungraded runs on EVENTS, the re-grade queue) have not taken yet."""
    return sum(
        c.pending
        for s in streams
        for c in s.consumers
        if c.durable and c.name.startswith(GRADER_CONSUMERS)
    )


def _messages(streams: dict[str, StreamState], name: str) -> int:
    stream = streams.get(name)
    return stream.messages if stream else 0


async def graded_since(
    js: JetStreamContext, since: datetime, most: int = RATE_MAX_SCAN
) -> tuple[int, bool]:
    """(SubmissionGraded events stored since `since`, estimated). Headers only, the type
    being a header. A window holding more than `most` submission events is not read whole:
    the newest `most` stream sequences are, and the count is scaled to the window (True)."""
    by_time = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_TIME, opt_start_time=since)
    graded, read, in_window = await _graded_in(js, by_time, most)
    if read == in_window:
        return graded, False
    last = (await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq
    newest = ConsumerConfig(
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=max(1, last - most + 1)
    )
    graded, read, _ = await _graded_in(js, newest, 2 * most)  # room for events since
    return (round(graded * in_window / read) if read else 0), True


async def _graded_in(
    js: JetStreamContext, config: ConsumerConfig, most: int
) -> tuple[int, int, int]:
    """(SubmissionGraded among those read, submission events read, submission events there):
    an ordered consumer (the server streams them) read to the end, unless there are more than
    `most`: then none are read."""
    config.headers_only = True
    sub = await js.subscribe(
        subjects.SUBMISSIONS_FILTER,
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        config=config,
        pending_msgs_limit=RATE_BUFFER,
    )
    graded = read = 0
    try:
        info = await sub.consumer_info()
        # those already sent to us count too: pending is only what the server still holds
        there = (info.num_pending or 0) + (info.delivered.consumer_seq if info.delivered else 0)
        if there > most:
            return 0, 0, there
        while read < there:
            msg = await sub.next_msg(timeout=RATE_READ_TIMEOUT_S)
            graded += (msg.headers or {}).get("Event-Type") == "SubmissionGraded"
            read += 1
            if msg.metadata.num_pending == 0:
                break
        return graded, read, there
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(sub.unsubscribe(), 2.0)


async def _cache_mark(valkey: Any) -> int | None:
    if valkey is None:
        return None
    value = await valkey.get(CACHE_MARK_KEY)
    return int(value) if value is not None else 0
