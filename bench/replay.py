"""`grindstone replay` events/s on a stream of graded submissions, on embedded servers of its
own, against two baselines from the same run: reading the stream without doing anything
(the floor of any replay) and the live projector applying the same events one batch at a time.

    python -m bench.replay --events 100000
"""

import argparse
import asyncio
import contextlib
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from nats.js import JetStreamContext

from common import cache, db, embedded, eventlog
from common import nats as gnats
from events import (
    AssignmentPublished,
    Event,
    Feedback,
    SubmissionCreated,
    SubmissionGraded,
    SubmissionGradingStarted,
    codec,
    subjects,
)
from services.projector import replay, runner, schema

PUBLISH_WINDOW = 2000  # publishes in flight while the stream is built
ASSIGNMENTS = 20
STUDENTS = 2000


def submission_events(
    now: datetime, user: uuid.UUID, assignment: uuid.UUID
) -> tuple[str, list[Event]]:
    sid = uuid.uuid4()
    ids = {"user_id": user, "submission_id": sid, "assignment_id": assignment}
    code = "def add(a, b):\n    return a + b\n" * 4
    passed = sid.int % 2 == 0
    return subjects.submission(user, sid), [
        SubmissionCreated(occurred_at=now, code=code, code_sha256="c" * 64,
                          assignment_sha256="a" * 64, **ids),
        SubmissionGradingStarted(occurred_at=now, attempt=1, grader_id="bench", **ids),
        SubmissionGraded(occurred_at=now, attempt=1, status="passed" if passed else "failed",
                         feedback=Feedback(message="bench"), **ids),
    ]  # fmt: skip


async def build(js: JetStreamContext, count: int) -> None:
    """Assignments, then `count` submission events, 64 submissions in progress at once."""
    now = datetime.now(UTC)
    assignments = [uuid.uuid4() for _ in range(ASSIGNMENTS)]
    students = [uuid.uuid4() for _ in range(STUDENTS)]
    messages = []
    for position, aid in enumerate(assignments, start=1):
        published = AssignmentPublished(
            occurred_at=now, assignment_id=aid, source_id=f"a{position}", title=f"A{position}",
            position=position, handout="# A\n", starter="", tests="", test_style="module",
            content_sha256="s" * 64,
        )  # fmt: skip
        messages.append((subjects.assignment(aid), *codec.encode(published)))
    histories = [
        submission_events(now, students[i % STUDENTS], assignments[i % ASSIGNMENTS])
        for i in range(count // 3 + 1)
    ]
    for start in range(0, len(histories), 64):
        group = histories[start : start + 64]
        for index in range(3):
            messages += [(subject, *codec.encode(events[index])) for subject, events in group]
    messages = messages[:count]
    for start in range(0, len(messages), PUBLISH_WINDOW):
        window = messages[start : start + PUBLISH_WINDOW]
        await asyncio.gather(*(js.publish(s, d, headers=h) for s, d, h in window))


async def read_only(js: JetStreamContext) -> tuple[int, float]:
    started, count = time.perf_counter(), 0
    async with contextlib.aclosing(eventlog.read(js)) as messages:
        async for msg in messages:
            codec.decode(msg.data, msg.headers)
            count += 1
    return count, count / (time.perf_counter() - started)


async def main(count: int, nats_url: str, database_url: str, valkey_url: str) -> None:
    nc = await gnats.connect(nats_url, "bench")
    js = nc.jetstream()
    await gnats.ensure_streams(js)
    pool = await db.open_pool(database_url, max_size=4)
    store = cache.Cache(cache.connect(valkey_url))
    started = time.perf_counter()
    await build(js, count)
    print(f"built {count} events in {time.perf_counter() - started:.1f} s")
    read, read_rate = await read_only(js)
    print(f"baseline, read and decode only:      {read} events, {read_rate:,.0f} events/s")
    await schema.create(pool)
    started = time.perf_counter()
    reached = await runner.catch_up(js, pool, store)
    live_rate = reached / (time.perf_counter() - started)
    print(f"baseline, live projector (batches):  {reached} events, {live_rate:,.0f} events/s")
    report = await replay.replay(js, pool, store)
    bulk = report.bulk_events / report.bulk_seconds
    print(
        f"grindstone replay (whole command):   {report.events} events, {report.rate:,.0f} events/s"
        f" ({report.seconds:.1f} s)"
    )
    print(
        f"grindstone replay (read, fold, COPY): {report.bulk_events} events, {bulk:,.0f} events/s"
    )
    read, read_rate = await read_only(js)  # again, now that the server has read the stream once
    print(f"baseline, read and decode again:     {read} events, {read_rate:,.0f} events/s")
    await pool.close()
    await store.client.aclose()
    await nc.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="stream length")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="grindstone-bench-")))
        root.chmod(0o755)  # PostgreSQL runs as an unprivileged user and must reach its data
        nats_url = stack.enter_context(embedded.nats_server(root / "nats"))
        database_url = stack.enter_context(embedded.postgres_server(root / "pg"))
        valkey_url = stack.enter_context(embedded.valkey_server(root / "valkey"))
        asyncio.run(main(args.events, nats_url, database_url, valkey_url))


if __name__ == "__main__":
    cli()
