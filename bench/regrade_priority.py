"""A student's submission latency (SubmissionCreated appended -> its SubmissionGraded seen) with
an idle system (the baseline) and while a re-grade of 10 000 submissions runs, with real grader
processes on an embedded NATS server of its own; the re-grades left are cancelled at the end.

    python -m bench.regrade_priority --regrades 10000 --students 30 --concurrency 2
"""

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nats.js import JetStreamContext
from tqdm import tqdm

from common import embedded, regrade_queue, regrades
from common import nats as gnats
from events import (
    AssignmentPublished,
    Feedback,
    SubmissionCreated,
    SubmissionGraded,
    SubmissionGradingStarted,
    codec,
    subjects,
)
from grindstone_cli import regrade_cancel

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = ROOT / "tests" / "data" / "humaneval.jsonl"
AT_ONCE = 64  # appends in flight together, each on its own subject
GRADED_WAIT_S = 60.0


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def problem() -> dict[str, Any]:
    for line in PROBLEM.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == "HumanEval/0":
            return record
    raise LookupError("HumanEval/0 is not in tests/data/humaneval.jsonl")


def assignment(record: dict[str, Any]) -> AssignmentPublished:
    return AssignmentPublished(
        occurred_at=datetime.now(UTC),
        assignment_id=uuid.uuid4(),
        source_id=record["id"],
        title=record["title"],
        position=1,
        handout=record["handout"],
        starter=record["starter"],
        tests=record["tests"],
        test_style="module",
        entry_point=record["entry_point"],
        content_sha256=sha256(record["tests"] + record["handout"]),
    )


def created(published: AssignmentPublished, code: str) -> SubmissionCreated:
    return SubmissionCreated(
        occurred_at=datetime.now(UTC),
        submission_id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        assignment_id=published.assignment_id,
        code=code,
        code_sha256=sha256(code),
        assignment_sha256=published.content_sha256,
    )


async def in_batches(items: Iterable[Any], each: Callable[[Any], Awaitable[Any]], desc: str):  # type: ignore[no-untyped-def]
    pending, done = list(items), []
    with tqdm(total=len(pending), desc=desc, unit="submission") as bar:
        for start in range(0, len(pending), AT_ONCE):
            batch = pending[start : start + AT_ONCE]
            done += await asyncio.gather(*(each(x) for x in batch))
            bar.update(len(batch))
    return done


async def graded_once(js: JetStreamContext, job: SubmissionCreated) -> SubmissionCreated:
    """A submission and its first verdict, written as a grader would (no sandbox run)."""
    subject = subjects.submission(job.user_id, job.submission_id)
    ids = {"submission_id": job.submission_id, "user_id": job.user_id}
    ids |= {"assignment_id": job.assignment_id}
    now, sid = datetime.now(UTC), job.submission_id
    seq = await gnats.append(js, subject, job, msg_id=f"submit:{sid}", expected_seq=0)
    started = SubmissionGradingStarted(occurred_at=now, attempt=1, grader_id="bench", **ids)
    seq = await gnats.append(js, subject, started, msg_id=f"grading:{sid}:1", expected_seq=seq)
    graded = SubmissionGraded(
        occurred_at=now, attempt=1, status="passed", feedback=Feedback(message="ok"), **ids
    )
    await gnats.append(js, subject, graded, msg_id=f"graded:{sid}:1", expected_seq=seq)
    return job


async def latency_s(js: JetStreamContext, job: SubmissionCreated) -> float:
    """Append a student's submission and wait for its verdict."""
    subject = subjects.submission(job.user_id, job.submission_id)
    nc = js._nc  # the same connection: its core subscription sees every append
    sub = await nc.subscribe(subject)
    try:
        start = time.perf_counter()
        await gnats.append(js, subject, job, msg_id=f"submit:{job.submission_id}", expected_seq=0)
        deadline = start + GRADED_WAIT_S
        while True:
            msg = await sub.next_msg(timeout=max(0.1, deadline - time.perf_counter()))
            if isinstance(codec.decode(msg.data, msg.headers), SubmissionGraded):
                return time.perf_counter() - start
    finally:
        await sub.unsubscribe()


async def students(js: JetStreamContext, published: AssignmentPublished, code: str, n: int):  # type: ignore[no-untyped-def]
    """Latencies of `n` students submitting one after the other (a short pause between)."""
    found = []
    for _ in range(n):
        found.append(await latency_s(js, created(published, code)))
        await asyncio.sleep(0.2)
    return found


def figures(name: str, values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"{name:<34} p50 {statistics.median(ms):7.0f} ms   p99 {p99:7.0f} ms   (n={len(ms)})"


@contextlib.contextmanager
def graders(nats_url: str, count: int, concurrency: int, logs: Path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "NATS_URL": nats_url, "GRADER_CONCURRENCY": str(concurrency)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "services.grader"],
            cwd=ROOT,
            env={**env, "GRADER_GRADER_ID": f"bench-{i}"},
            stdout=subprocess.DEVNULL,
            stderr=(logs / f"grader-{i}.log").open("wb"),
        )
        for i in range(count)
    ]
    try:
        yield procs
    finally:
        for proc in procs:
            embedded.stop(proc)


async def caught_up(js: JetStreamContext) -> None:
    """Wait until the students' consumer has nothing left to deliver or acknowledge."""
    while True:
        with contextlib.suppress(Exception):
            info = await js.consumer_info(subjects.EVENTS_STREAM, subjects.GRADER_CONSUMER)
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
        await asyncio.sleep(0.2)


async def queued(js: JetStreamContext) -> int:
    return int((await js.stream_info(regrade_queue.STREAM)).state.messages)


async def main(args: argparse.Namespace, nats_url: str, logs: Path) -> None:
    nc = await gnats.connect(nats_url, "bench")
    js = nc.jetstream()
    await gnats.ensure_streams(js)
    await regrade_queue.ensure_stream(js)
    record = problem()
    published = assignment(record)
    await gnats.append(js, subjects.assignment(published.assignment_id), published, msg_id="a")
    code = record["solution"]
    old = [created(published, code) for _ in range(args.regrades)]
    await in_batches(old, lambda job: graded_once(js, job), "graded submissions")
    with graders(nats_url, args.graders, args.concurrency, logs):
        await caught_up(js)  # the graders have passed over those submissions' events
        await latency_s(js, created(published, code))  # warm-up: sandboxes started
        idle = await students(js, published, code, args.students)

        async def request(job: SubmissionCreated) -> str | None:
            latest = await regrades.latest_of(js, job.submission_id)
            return await regrades.request(js, latest, datetime.now(UTC)) if latest else "gone"

        whys = await in_batches(old, request, "re-grades requested")
        before = await queued(js)
        busy = await students(js, published, code, args.students)
        after = await queued(js)
        print(f"re-grades requested: {sum(w is None for w in whys)}")
        print(f"re-grades queued while the students were measured: {before} -> {after}")
        print(figures("student latency, idle (baseline)", idle))
        print(figures(f"student latency, re-grade of {args.regrades}", busy))
        await regrade_cancel.cancel(js)
    await nc.close()


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regrades", type=int, default=10_000)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--graders", type=int, default=1, help="grader processes")
    parser.add_argument("--concurrency", type=int, default=2, help="slots per grader")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, embedded.nats_server(Path(folder)) as url:
        asyncio.run(main(args, url, Path(folder)))


if __name__ == "__main__":
    run()
