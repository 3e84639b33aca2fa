"""`grindstone regrade --cancel`: cancel every queued re-grade that no grader has started.

Per job on REGRADES: while its request is still the submission's last event, append
`SubmissionRegradeCancelled` expecting that event's sequence (so a grader that starts it in the
same moment wins or loses cleanly: exactly one of GradingStarted and the cancellation is
appended), carrying the verdict before it, then delete the job. A re-grade already started is
left to finish.
"""

import asyncio
from collections import Counter
from datetime import UTC, datetime

from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import APIError, NotFoundError
from tqdm import tqdm

from common import nats as gnats
from common import regrade_queue
from events import (
    Event,
    Feedback,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
    Verdict,
    codec,
    fold,
)

# JetStream's error codes for deleting a message no longer in the stream
GONE = (10057, 10043)  # "no message found", "sequence N not found"
AT_ONCE = 64  # jobs cancelled together (each on its own submission subject)
Previous = tuple[Verdict, Feedback, datetime | None]


async def cancel(js: JetStreamContext) -> int:
    """Cancel the queued re-grades; print how many, and how many were already started."""
    info = await js.stream_info(regrade_queue.STREAM)
    counts = Counter[str]()
    with tqdm(total=info.state.messages, desc="cancel", unit="job") as bar:
        batch: list[RawStreamMsg] = []
        async for job in _jobs(js, info.state.last_seq):
            batch.append(job)
            if len(batch) == AT_ONCE:
                counts.update(await asyncio.gather(*(_cancel_job(js, j) for j in batch)))
                bar.update(len(batch))
                batch = []
        counts.update(await asyncio.gather(*(_cancel_job(js, j) for j in batch)))
        bar.update(len(batch))
    print(
        f"Regrades cancelled: {counts['cancelled']}, "
        f"already being graded (left to finish): {counts['started']}, "
        f"already done: {counts['done']}"
    )
    return 0


async def _jobs(js: JetStreamContext, last: int):  # type: ignore[no-untyped-def]
    """The queue's jobs up to sequence `last`, oldest first."""
    seq = 1
    while seq <= last:
        try:
            msg = await js.get_msg(
                regrade_queue.STREAM, seq=seq, subject=regrade_queue.SUBJECTS[0], next=True
            )
        except NotFoundError:
            return
        if msg.seq is None or msg.seq > last:
            return
        yield msg
        seq = msg.seq + 1


async def _cancel_job(js: JetStreamContext, job: RawStreamMsg) -> str:
    where = regrade_queue.located(job.headers)
    event = _decoded(job.data, job.headers)
    outcome = "done"
    if where is not None and isinstance(event, SubmissionRegradeRequested):
        outcome = await _cancel_request(js, event, *where)
    if outcome == "cancelled" or where is None:
        await _delete(js, int(job.seq or 0))
    return outcome


async def _delete(js: JetStreamContext, seq: int) -> None:
    """Delete a job, unless a grader that took it (and found it cancelled) acked it first."""
    try:
        await js.delete_msg(regrade_queue.STREAM, seq)
    except APIError as exc:
        if not isinstance(exc, NotFoundError) and exc.err_code not in GONE:
            raise


async def _cancel_request(
    js: JetStreamContext, event: SubmissionRegradeRequested, subject: str, seq: int
) -> str:
    """'cancelled'; 'started' when a grader started it; 'done' when it ended already."""
    found = gnats.subject_messages(js, subject)
    history = [(m.seq, _decoded(m.data, m.headers)) async for m in found]
    if not history or history[-1][0] != seq:
        last = history[-1][1] if history else None
        started = isinstance(last, SubmissionGradingStarted) and last.attempt == event.attempt
        return "started" if started else "done"
    previous = previous_verdict([(int(seq or 0), e) for seq, e in history[:-1] if e])
    if previous is None:
        return "done"  # no verdict to go back to (not a request regrade makes): left alone
    status, feedback, graded_at = previous
    cancelled = SubmissionRegradeCancelled(
        occurred_at=datetime.now(UTC),
        submission_id=event.submission_id,
        user_id=event.user_id,
        assignment_id=event.assignment_id,
        attempt=event.attempt,
        cancelled_by="operator",
        status=status,
        feedback=feedback,
        graded_at=graded_at,
    )
    msg_id = f"regrade-cancel:{event.submission_id}:{event.attempt}"
    try:
        await gnats.append(js, subject, cancelled, msg_id=msg_id, expected_seq=seq)
    except gnats.ConcurrencyError:
        return "started"
    return "cancelled"


def previous_verdict(before: list[tuple[int, Event]]) -> Previous | None:
    """The verdict the student saw before the re-grade was requested (the fold of the events
    before it, events/fold.py): what a cancellation restores."""
    state = fold.fold(before)
    if state is None or state.undecided or state.feedback is None:
        return None
    return state.status, state.feedback, state.graded_at  # type: ignore[return-value]


def _decoded(data: bytes | None, headers: dict[str, str] | None) -> Event | None:
    try:
        return codec.decode(data or b"", headers)
    except codec.Unreadable:
        return None
