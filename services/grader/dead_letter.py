"""Setting aside a job that keeps crashing its grader: the GRADING_DEAD stream, the student's note.

The dead letter is the job's event as it was delivered (bytes and headers), on
`grading.dead.<user_id>.<submission_id>`, with headers saying how often it was delivered, which
grader gave up, and where the event is in EVENTS. One dead letter per attempt: a grader that
retries finds its own on the subject, and the expected-sequence check stops a racing one.
"""

from uuid import UUID

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import APIError, NotFoundError

from common import nats as gnats
from events import Feedback, subjects

DELIVERED_HEADER = "Grindstone-Delivered"
GRADER_HEADER = "Grindstone-Grader-Id"
ATTEMPT_HEADER = "Grindstone-Attempt"
SUBJECT_HEADER = "Grindstone-Subject"
SEQUENCE_HEADER = "Grindstone-Sequence"


def feedback(crashes: int) -> Feedback:
    times = "once" if crashes == 1 else f"{crashes} times"
    return Feedback(
        message=f"The grader crashed {times} while grading this submission, so it was set aside "
        "for an operator to look at. Your code was not judged; submit again or ask for help."
    )


async def publish(
    js: JetStreamContext,
    job: Msg,
    event_subject: str,
    event_seq: int,
    *,
    user_id: UUID,
    submission_id: UUID,
    attempt: int,
    grader_id: str,
) -> None:
    """Put the job's message on the dead-letter subject, unless this attempt is already there.
    `event_subject` and `event_seq`: where the job's event is in EVENTS."""
    subject = subjects.dead_letter(user_id, submission_id)
    try:
        last = await js.get_last_msg(subjects.DEAD_LETTER_STREAM, subject, direct=True)
    except NotFoundError:
        last_seq = 0
    else:
        if (last.headers or {}).get(ATTEMPT_HEADER) == str(attempt):
            return
        last_seq = int(last.seq or 0)
    # the original's Nats-* headers (its msg id, its expected sequence) are not ours to repeat
    headers = {k: v for k, v in (job.headers or {}).items() if not k.startswith("Nats-")}
    headers |= {
        DELIVERED_HEADER: str(job.metadata.num_delivered),
        GRADER_HEADER: grader_id,
        ATTEMPT_HEADER: str(attempt),
        SUBJECT_HEADER: event_subject,
        SEQUENCE_HEADER: str(event_seq),
        "Nats-Msg-Id": f"dead:{submission_id}:{attempt}",
        "Nats-Expected-Last-Subject-Sequence": str(last_seq),
    }
    try:
        await js.publish(
            subject, job.data, headers=headers, stream=subjects.DEAD_LETTER_STREAM, timeout=5.0
        )
    except APIError as exc:
        if not gnats.lost_race(exc):
            raise
        # another grader set this attempt aside in the same moment (attempts never overlap)
