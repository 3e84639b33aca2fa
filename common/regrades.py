"""Requesting re-grades, the one way `grindstone regrade` and the /ops/ page both do it.

A request is a `SubmissionRegradeRequested` (the submission's last attempt + 1) appended
expecting the subject's last sequence, then its job on the REGRADES queue
(common/regrade_queue.py), which graders take only when no student's submission waits.
"""

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from common import nats as gnats
from common import regrade_queue
from events import (
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
    codec,
    subjects,
)

READ_TIMEOUT_S = 10.0

SubmissionEvent = (
    SubmissionCreated
    | SubmissionGradingStarted
    | SubmissionGraded
    | SubmissionRegradeRequested
    | SubmissionRegradeCancelled
    | SubmissionDeleted
)


class Unreadable(Exception):
    """The stream holds an event this version cannot read."""


class Latest(NamedTuple):
    """A submission's subject, its last event and that event's stream sequence."""

    subject: str
    seq: int
    event: SubmissionEvent


async def latest_of(js: JetStreamContext, submission_id: UUID) -> Latest | None:
    raw = await gnats.last_message(js, subjects.submission_by_id(submission_id))
    if raw is None:
        return None
    subject = raw.subject or ""
    return Latest(subject, int(raw.seq or 0), decode(subject, raw.data or b"", raw.headers))


async def every_latest(js: JetStreamContext) -> AsyncIterator[Latest]:
    """The last event of every submission subject (one pass of an ordered consumer)."""
    if await gnats.last_message(js, subjects.SUBMISSIONS_FILTER) is None:
        return  # nothing would be delivered: do not wait for it
    sub = await js.subscribe(
        subjects.SUBMISSIONS_FILTER,
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
    )
    newest: dict[str, Latest] = {}  # a subject written during the pass: its newest event
    try:
        while True:
            msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
            event = decode(msg.subject, msg.data, msg.headers)
            newest[msg.subject] = Latest(msg.subject, msg.metadata.sequence.stream, event)
            if msg.metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    for latest in newest.values():
        yield latest


async def of_assignment(js: JetStreamContext, assignment_id: UUID | None) -> dict[UUID, Latest]:
    """Every submission (of this assignment; None: of all) that is not deleted, by id."""
    chosen: dict[UUID, Latest] = {}
    async for latest in every_latest(js):
        event = latest.event
        if isinstance(event, SubmissionDeleted):
            continue
        if assignment_id is None or event.assignment_id == assignment_id:
            chosen[event.submission_id] = latest
    return chosen


async def request(
    js: JetStreamContext,
    latest: Latest,
    now: datetime,
    versions: Mapping[UUID, str | None] | None = None,
    requested_by: str = "operator",
) -> str | None:
    """Append the regrade request and queue its job; None when done, else why it was skipped.
    `versions`: the version to grade against by assignment (--latest); None: each submission's
    own. A request still waiting whose job is missing (its requester died in between) has its
    job queued again."""
    event = latest.event
    waiting = isinstance(event, SubmissionRegradeRequested)
    if waiting and not await regrade_queue.queued(js, event):  # type: ignore[arg-type]
        await regrade_queue.enqueue(js, event, latest.subject, latest.seq)  # type: ignore[arg-type]
    attempt, why = next_attempt(event)
    sha = None if versions is None else versions.get(event.assignment_id)
    if attempt is None or (versions is not None and sha is None):
        return why or "its assignment has no published version"
    regrade = SubmissionRegradeRequested(
        occurred_at=now,
        submission_id=event.submission_id,
        user_id=event.user_id,
        assignment_id=event.assignment_id,
        attempt=attempt,
        requested_by=requested_by,
        assignment_sha256=sha,
    )
    msg_id = f"regrade:{regrade.submission_id}:{attempt}"
    try:
        seq = await gnats.append(
            js, latest.subject, regrade, msg_id=msg_id, expected_seq=latest.seq
        )
    except gnats.ConcurrencyError:
        return "it changed while regrading; run the command again for it"
    await regrade_queue.enqueue(js, regrade, latest.subject, seq)
    return None


def next_attempt(last: SubmissionEvent) -> tuple[int | None, str]:
    """The attempt to request after the submission's last event, or why there is none."""
    match last:
        case SubmissionGraded(deleted=True):
            return None, "deleted"
        case SubmissionGraded(attempt=attempt) | SubmissionRegradeCancelled(attempt=attempt):
            return attempt + 1, ""
        case SubmissionCreated(reused=reused) if reused is not None:
            return 2, ""  # graded at once with an earlier verdict: that was attempt 1
        case SubmissionCreated() | SubmissionRegradeRequested():
            return None, "still waiting to be graded"
        case SubmissionGradingStarted():
            return None, "still being graded"
    return None, "deleted"


def decode(subject: str, data: bytes, headers: dict[str, str] | None) -> SubmissionEvent:
    try:
        event = codec.decode(data, headers)
    except codec.Unreadable as exc:
        raise Unreadable(f"{subject} holds an event this grindstone cannot read ({exc})") from None
    if not isinstance(event, SubmissionEvent):
        raise Unreadable(f"{subject} holds a {type(event).__name__}, not a submission event")
    return event
