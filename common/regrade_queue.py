"""The REGRADES work queue: one job per requested re-grade, apart from students' submissions.

The `SubmissionRegradeRequested` on EVENTS is the record of truth; its job here is a copy of
the event (bytes and codec headers) on `grading.regrade.<user_id>.<submission_id>`, naming
where the event is (`Grindstone-Subject`, `Grindstone-Sequence`). Graders take these jobs only
into slots no student's submission is waiting for (docs/design.md, "Re-grades at a lower
priority"). Work-queue retention: a job leaves the stream when a grader acks it.
"""

import contextlib
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NoStreamResponseError, NotFoundError

from common import settings
from events import SubmissionRegradeRequested, codec

STREAM = "REGRADES"
SUBJECT = "grading.regrade"
SUBJECTS = [f"{SUBJECT}.>"]
CONSUMER = "grader-regrades"
SUBJECT_HEADER = "Grindstone-Subject"  # the re-grade request's subject on EVENTS
SEQUENCE_HEADER = "Grindstone-Sequence"  # and its stream sequence there
DUPLICATE_WINDOW_S = 120.0


def subject(user_id: UUID, submission_id: UUID) -> str:
    return f"{SUBJECT}.{user_id}.{submission_id}"


def stream_config() -> StreamConfig:
    return StreamConfig(
        name=STREAM,
        subjects=SUBJECTS,
        retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_S,
        allow_direct=True,
        num_replicas=settings.nats_replicas(),
    )


async def ensure_stream(js: JetStreamContext) -> None:
    """Create (or update) the REGRADES stream; idempotent."""
    try:
        await js.add_stream(stream_config())
    except BadRequestError:
        await js.update_stream(stream_config())


def located(headers: dict[str, str] | None) -> tuple[str, int] | None:
    """(EVENTS subject, sequence) a job names, or None for a message that is no job."""
    headers = headers or {}
    with contextlib.suppress(KeyError, ValueError):
        return headers[SUBJECT_HEADER], int(headers[SEQUENCE_HEADER])
    return None


async def queued(js: JetStreamContext, event: SubmissionRegradeRequested) -> bool:
    """Is a job for this submission still in the queue (waiting or being graded)?"""
    with contextlib.suppress(NotFoundError):
        await js.get_last_msg(STREAM, subject(event.user_id, event.submission_id), direct=True)
        return True
    return False


async def enqueue(
    js: JetStreamContext, event: SubmissionRegradeRequested, event_subject: str, event_seq: int
) -> None:
    """Queue the job of a re-grade request appended at `event_seq`; once per attempt within the
    duplicate window (a job queued twice later is harmless: the grader finds it done)."""
    data, headers = codec.encode(event)
    headers |= {
        SUBJECT_HEADER: event_subject,
        SEQUENCE_HEADER: str(event_seq),
        "Nats-Msg-Id": f"regrade-job:{event.submission_id}:{event.attempt}",
    }
    where = subject(event.user_id, event.submission_id)
    try:
        await js.publish(where, data, headers=headers, stream=STREAM, timeout=5.0)
    except NoStreamResponseError:  # no grader has made the queue yet
        await ensure_stream(js)
        await js.publish(where, data, headers=headers, stream=STREAM, timeout=5.0)
