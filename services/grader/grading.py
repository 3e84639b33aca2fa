"""Grading one submission: its code and assignment from the stream, the sandbox, the cache."""

import logging
from uuid import UUID

import msgspec
import nats.errors
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from common import nats as gnats
from events import Feedback, SubmissionCreated, Verdict, codec, subjects
from services.grader import sandbox, verdict

log = logging.getLogger(__name__)


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    status: Verdict
    feedback: Feedback
    runtime_ms: int | None = None
    assignment_sha256: str | None = None  # the assignment content actually graded against


class CachedVerdict(msgspec.Struct, frozen=True, kw_only=True):
    """A value of the `grading-verdicts` bucket."""

    submission_id: UUID
    status: Verdict
    feedback: Feedback


async def created_event(js: JetStreamContext, subject: str) -> SubmissionCreated:
    """The SubmissionCreated that opens a submission's subject (a re-grade needs its code)."""
    raw = await js.get_msg(subjects.EVENTS_STREAM, seq=1, subject=subject, next=True, direct=True)
    event = codec.decode(raw.data or b"", raw.headers)
    if not isinstance(event, SubmissionCreated):
        raise LookupError(f"{subject} does not start with a SubmissionCreated")
    return event


async def grade(js: JetStreamContext, created: SubmissionCreated, box: sandbox.Sandbox) -> Outcome:
    published = await gnats.published(js, created.assignment_id)
    if published is None:
        message = (
            f"The assignment {created.assignment_id} does not exist (any more), "
            "so this submission cannot be graded."
        )
        return Outcome(status="error", feedback=Feedback(message=message))
    result = await box.run(
        sandbox.SandboxJob(
            code=created.code,
            tests=published.tests,
            test_style=published.test_style,
            entry_point=published.entry_point,
            limits=published.limits,
        )
    )
    status, feedback = verdict.judge(result)
    return Outcome(
        status=status,
        feedback=feedback,
        runtime_ms=result.runtime_ms,
        assignment_sha256=published.content_sha256,
    )


class Verdicts:
    """The `grading-verdicts` bucket, looked up once (each look-up is a stream-info request)."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.bucket: KeyValue | None = None

    async def remember(self, created: SubmissionCreated, outcome: Outcome) -> None:
        """Cache a passed/failed verdict for identical code; an `error` is never reused."""
        if outcome.status == "error" or outcome.assignment_sha256 is None:
            return
        key = subjects.verdict_key(outcome.assignment_sha256, created.code_sha256)
        value = CachedVerdict(
            submission_id=created.submission_id, status=outcome.status, feedback=outcome.feedback
        )
        try:
            if self.bucket is None:
                self.bucket = await self.js.key_value(subjects.VERDICT_CACHE_BUCKET)
            await self.bucket.put(key, msgspec.json.encode(value))
        except (nats.errors.Error, TimeoutError) as exc:  # only a later reuse is lost
            log.warning("could not cache the verdict of %s: %s", created.submission_id, exc)
