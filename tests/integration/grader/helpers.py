"""Problems from tests/data, events to publish, and reading a submission's history back."""

import asyncio
import functools
import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from common import nats as gnats
from common import regrade_queue
from events import AssignmentPublished, Event, Limits, SubmissionCreated, codec, subjects

DATA = Path(__file__).resolve().parents[2] / "data"
STYLES = {"module:solution": "module", "stdio:solution.py": "stdio"}
WAIT_S = 30.0


@functools.cache
def problems(name: str) -> dict[str, dict[str, Any]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return {record["id"]: record for record in map(json.loads, lines)}


def humaneval(number: int) -> dict[str, Any]:
    return problems("humaneval.jsonl")[f"HumanEval/{number}"]


def kattis(name: str) -> dict[str, Any]:
    return problems("kattis.jsonl")[f"kattis/{name}"]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def published(record: dict[str, Any], limits: Limits | None = None) -> AssignmentPublished:
    return AssignmentPublished(
        occurred_at=datetime.now(UTC),
        assignment_id=uuid4(),
        source_id=record["id"],
        title=record["title"],
        position=1,
        handout=record["handout"],
        starter=record["starter"],
        tests=record["tests"],
        test_style=STYLES[record["test_style"]],  # type: ignore[arg-type]
        entry_point=record["entry_point"],
        limits=limits or Limits(),
        content_sha256=sha256(record["tests"] + record["handout"]),
    )


def created(assignment: AssignmentPublished, code: str, **fields: Any) -> SubmissionCreated:
    return SubmissionCreated(
        occurred_at=datetime.now(UTC),
        submission_id=uuid4(),
        user_id=uuid4(),
        assignment_id=assignment.assignment_id,
        code=code,
        code_sha256=sha256(code),
        assignment_sha256=assignment.content_sha256,
        **fields,
    )


def subject_of(event: SubmissionCreated) -> str:
    return subjects.submission(event.user_id, event.submission_id)


async def publish_assignment(js: JetStreamContext, assignment: AssignmentPublished) -> None:
    subject = subjects.assignment(assignment.assignment_id)
    msg_id = f"publish:{assignment.assignment_id}:{assignment.content_sha256}"  # one per version
    await gnats.append(js, subject, assignment, msg_id=msg_id)


async def submit(js: JetStreamContext, event: SubmissionCreated) -> int:
    msg_id = f"submit:{event.submission_id}"
    return await gnats.append(js, subject_of(event), event, msg_id=msg_id, expected_seq=0)


async def history(js: JetStreamContext, subject: str) -> list[Event]:
    """Every event on one subject, in stream order."""
    events: list[Event] = []
    seq = 1
    while True:
        try:
            raw = await js.get_msg(
                subjects.EVENTS_STREAM, seq=seq, subject=subject, next=True, direct=True
            )
        except NotFoundError:
            return events
        events.append(codec.decode(raw.data or b"", raw.headers))
        seq = int(raw.seq or 0) + 1


async def settled(js: JetStreamContext, wait_s: float = WAIT_S) -> None:
    """Wait until the grader consumer has acked every submission event, including its own, and
    the re-grade queue is empty (a job leaves it when acked)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        last = await gnats.last_message(js, subjects.SUBMISSIONS_FILTER)
        try:
            info = await js.consumer_info(subjects.EVENTS_STREAM, subjects.GRADER_CONSUMER)
        except NotFoundError:  # the worker has not created it yet
            info = None
        floor = info.ack_floor.stream_seq if info and info.ack_floor else 0
        if last is not None and floor >= (last.seq or 0) and await regrades_queued(js) == 0:
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"the grader did not ack everything within {WAIT_S:.0f} s")


async def regrades_queued(js: JetStreamContext) -> int:
    """Jobs on the REGRADES queue, waiting or being graded."""
    try:
        info = await js.stream_info(regrade_queue.STREAM)
    except NotFoundError:
        return 0
    return int(info.state.messages)


def types(events: list[Event]) -> list[str]:
    return [type(event).__name__ for event in events]


def ids(event: SubmissionCreated) -> dict[str, UUID]:
    return {
        "submission_id": event.submission_id,
        "user_id": event.user_id,
        "assignment_id": event.assignment_id,
    }
