"""`grindstone regrade` following its re-grades to their verdicts, with a progress bar."""

import asyncio
from collections import Counter
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from tqdm import tqdm

from events import (
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionRegradeCancelled,
    codec,
    subjects,
)

STOPPED = (
    "Stopped following; the re-grades go on (`grindstone regrade --cancel` cancels those "
    "not yet started)."
)


async def last_seq(js: JetStreamContext) -> int:
    """The EVENTS stream's last sequence: re-grades requested from now on come after it."""
    info = await js.stream_info(subjects.EVENTS_STREAM)
    return int(info.state.last_seq)


def outcome(event: object, wanted: dict[UUID, int]) -> str | None:
    """How this event ends a re-grade we follow (its verdict, cancelled, deleted), or None."""
    attempt = wanted.get(getattr(event, "submission_id", None))  # type: ignore[arg-type]
    if attempt is None:
        return None
    match event:
        case SubmissionGraded(attempt=at, status=status) if at >= attempt:
            return status
        case SubmissionRegradeCancelled(attempt=at) if at >= attempt:
            return "cancelled"
        case SubmissionDeleted():
            return "deleted"
    return None


async def follow(js: JetStreamContext, wanted: dict[UUID, int], since: int) -> Counter[str]:
    """Read the submission events after `since` until every wanted re-grade has ended; print
    how they ended. Ctrl+C (a cancellation) stops following only."""
    left, ended = dict(wanted), Counter[str]()
    sub = await js.subscribe(
        subjects.SUBMISSIONS_FILTER,
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        config=ConsumerConfig(opt_start_seq=since + 1),
    )
    bar = tqdm(total=len(wanted), desc="graded", unit="submission")
    try:
        async for msg in sub.messages:
            try:
                event = codec.decode(msg.data, msg.headers)
            except codec.Unreadable:
                continue  # set aside by the consumers; the events after it still count
            how = outcome(event, left)
            if how is not None:
                del left[event.submission_id]  # type: ignore[attr-defined]
                ended[how] += 1
                bar.update()
            if not left:
                break
    except (asyncio.CancelledError, KeyboardInterrupt):  # Ctrl+C: asyncio.run cancels us
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()  # handled here: the command ends normally, with its summary
        bar.write(STOPPED)
    finally:
        bar.close()
        await sub.unsubscribe()
    print("Re-grades ended:", ", ".join(f"{how} {n}" for how, n in sorted(ended.items())) or "0")
    return ended
