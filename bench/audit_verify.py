"""`grindstone audit verify` events/s on a stream of chained events, against reading the
same stream without verifying (the baseline), on an embedded NATS server of its own.

    python -m bench.audit_verify --events 100000
"""

import argparse
import asyncio
import contextlib
import io
import json
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from nats.js import JetStreamContext

from common import checkpoints, embedded, eventlog
from common import nats as gnats
from events import (
    Event,
    Feedback,
    SubmissionCreated,
    SubmissionGraded,
    SubmissionGradingStarted,
    codec,
    integrity,
    subjects,
)
from grindstone_cli import audit

PUBLISH_WINDOW = 2000  # publishes in flight while the stream is built
SECRET = "bench-secret"
ROUNDS = 2
APPENDS = 3000  # sequential appends timed with and without the chain read


def submission_events(now: datetime) -> tuple[str, list[Event]]:
    """One graded submission: its subject and its three events."""
    user, sid, aid = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ids = {"user_id": user, "submission_id": sid, "assignment_id": aid}
    code = "def add(a, b):\n    return a + b\n" * 4
    return subjects.submission(user, sid), [
        SubmissionCreated(occurred_at=now, code=code, code_sha256="c" * 64,
                          assignment_sha256="a" * 64, **ids),
        SubmissionGradingStarted(occurred_at=now, attempt=1, grader_id="bench", **ids),
        SubmissionGraded(occurred_at=now, attempt=1, status="passed",
                         feedback=Feedback(message="All tests passed."), **ids),
    ]  # fmt: skip


async def build(js: JetStreamContext, count: int) -> None:
    """`count` chained events, submissions interleaved as students' are, published in windows
    (each chained here as common/nats.append would: the bench measures reading, not appending)."""
    now, heads = datetime.now(UTC), {}
    histories = [submission_events(now) for _ in range(count // 3 + 1)]
    step = 64  # submissions in progress at once
    messages = []
    for start in range(0, len(histories), step):
        group = histories[start : start + step]
        for index in range(3):
            for subject, events in group:
                data, headers = codec.encode(events[index])
                integrity.chain(heads.get(subject, integrity.GENESIS), subject, headers, data)
                heads[subject] = headers[integrity.HASH_HEADER]
                messages.append((subject, data, headers))
    messages = messages[:count]
    for start in range(0, len(messages), PUBLISH_WINDOW):
        window = messages[start : start + PUBLISH_WINDOW]
        await asyncio.gather(*(js.publish(s, d, headers=h) for s, d, h in window))


async def read_only(js: JetStreamContext) -> tuple[int, float]:
    started, count = time.perf_counter(), 0
    async with contextlib.aclosing(eventlog.read(js)) as messages:
        async for _ in messages:
            count += 1
    return count, count / (time.perf_counter() - started)


async def verify(js: JetStreamContext) -> tuple[int, float, int]:
    """The command's own function; (events, events/s, exit status)."""
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        status = await audit.verify(js, [], integrity.checkpoint_key(SECRET), as_json=True)
    elapsed = time.perf_counter() - started
    document = json.loads(out.getvalue())
    return document["events"], document["events"] / elapsed, status


async def append_rate(js: JetStreamContext, chained: bool, count: int = APPENDS) -> float:
    """Sequential appends/s through common/nats.append (which reads the subject's last
    message to chain to), or of the same events published with no chain read (the baseline)."""
    histories = [submission_events(datetime.now(UTC)) for _ in range(count // 3)]
    started = time.perf_counter()
    for subject, events in histories:
        for event in events:
            msg_id = str(uuid.uuid4())
            if chained:
                await gnats.append(js, subject, event, msg_id=msg_id)
            else:
                data, headers = codec.encode(event)
                await js.publish(subject, data, headers={**headers, "Nats-Msg-Id": msg_id})
    return len(histories) * 3 / (time.perf_counter() - started)


async def main(count: int, nats_url: str) -> None:
    nc = await gnats.connect(nats_url, "bench")
    js = nc.jetstream()
    await gnats.ensure_streams(js)
    started = time.perf_counter()
    await build(js, count)
    print(f"built {count} chained events in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    made = await checkpoints.make(js, integrity.checkpoint_key(SECRET))
    print(f"signed {made} checkpoints over them in {time.perf_counter() - started:.1f} s")
    for _ in range(ROUNDS):  # alternated, so a busy moment of the machine hits both
        read, read_rate = await read_only(js)
        print(f"baseline, read only:  {read} events, {read_rate:,.0f} events/s")
        checked, rate, status = await verify(js)
        verdict = "clean" if status == 0 else f"exit status {status}"
        print(f"audit verify:         {checked} events, {rate:,.0f} events/s ({verdict})")
    for _ in range(ROUNDS):  # one at a time, each waiting for its ack
        print(f"baseline, publish:    {await append_rate(js, chained=False):,.0f} events/s")
        print(f"append, chained:      {await append_rate(js, chained=True):,.0f} events/s")
    await nc.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="stream length")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, embedded.nats_server(Path(folder)) as url:
        asyncio.run(main(args.events, url))


if __name__ == "__main__":
    cli()
