"""Many graded submissions made at once (events written as a grader would), and their
re-grades requested, for the re-grade tests and bench/regrade_priority.py."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import TypeVar

from nats.js import JetStreamContext

from common import nats as gnats
from common import regrades
from events import (
    AssignmentPublished,
    Feedback,
    SubmissionCreated,
    SubmissionGraded,
    SubmissionGradingStarted,
    subjects,
)
from tests.integration.grader.helpers import created

AT_ONCE = 64  # appends in flight together (each on its own subject)
T = TypeVar("T")
R = TypeVar("R")


async def in_batches(items: Iterable[T], each: Callable[[T], Awaitable[R]]) -> list[R]:
    pending, done = list(items), []
    for start in range(0, len(pending), AT_ONCE):
        done += await asyncio.gather(*(each(x) for x in pending[start : start + AT_ONCE]))
    return done


async def graded_once(js: JetStreamContext, job: SubmissionCreated) -> None:
    """Write a submission and its first grading (passed)."""
    subject = subjects.submission(job.user_id, job.submission_id)
    ids = {"submission_id": job.submission_id, "user_id": job.user_id}
    ids |= {"assignment_id": job.assignment_id}
    now = datetime.now(UTC)
    seq = await gnats.append(js, subject, job, msg_id=f"submit:{job.submission_id}", expected_seq=0)
    started = SubmissionGradingStarted(occurred_at=now, attempt=1, grader_id="g", **ids)
    seq = await gnats.append(
        js, subject, started, msg_id=f"s:{job.submission_id}", expected_seq=seq
    )
    verdict = SubmissionGraded(
        occurred_at=now, attempt=1, status="passed", feedback=Feedback(message="ok"), **ids
    )
    await gnats.append(js, subject, verdict, msg_id=f"g:{job.submission_id}", expected_seq=seq)


async def request_regrades(js: JetStreamContext, jobs: list[SubmissionCreated]) -> int:
    """Request a re-grade of each (as `grindstone regrade` does); how many were requested."""

    async def one(job: SubmissionCreated) -> str | None:
        latest = await regrades.latest_of(js, job.submission_id)
        assert latest is not None
        return await regrades.request(js, latest, datetime.now(UTC))

    return sum(why is None for why in await in_batches(jobs, one))


async def graded_submissions(
    js: JetStreamContext, assignment: AssignmentPublished, code: str, count: int
) -> list[SubmissionCreated]:
    jobs = [created(assignment, code) for _ in range(count)]
    await in_batches(jobs, lambda job: graded_once(js, job))
    return jobs
