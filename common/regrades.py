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
    fold,
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
    """A submission's subject, its last event and that event's stream sequence, and the fold of
    its events (events/fold.py; None when not read)."""

    subject: str
    seq: int
    event: SubmissionEvent
    state: fold.SubmissionState | None = None


async def latest_of(js: JetStreamContext, submission_id: UUID) -> Latest | None:
    raw = await gnats.last_message(js, subjects.submission_by_id(submission_id))
    if raw is None:
        return None
    subject, latest = raw.subject or "", None
    async for msg in gnats.subject_messages(js, subject, before=int(raw.seq or 0) + 1):
        latest = _folded(latest, subject, int(msg.seq or 0), msg.data or b"", msg.headers)
    return latest


async def every_latest(js: JetStreamContext) -> AsyncIterator[Latest]:
    """Every submission: its last event and the fold of its events (one pass of an ordered
    consumer over the submission events)."""
    if await gnats.last_message(js, subjects.SUBMISSIONS_FILTER) is None:
        return  # nothing would be delivered: do not wait for it
    sub = await js.subscribe(
        subjects.SUBMISSIONS_FILTER,
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.ALL,
    )
    newest: dict[str, Latest] = {}  # a subject written during the pass: its newest event
    try:
        while True:
            msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
            seq = msg.metadata.sequence.stream
            before = newest.get(msg.subject)
            newest[msg.subject] = _folded(before, msg.subject, seq, msg.data, msg.headers)
            if msg.metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    for latest in newest.values():
        yield latest


def _folded(
    latest: Latest | None, subject: str, seq: int, data: bytes, headers: dict[str, str] | None
) -> Latest:
    """One more event folded in. An unreadable one after the first moves only the sequence
    (the readable events decide; the append expects the subject's true last); a subject whose
    first event is unreadable cannot be re-graded (its code is not readable)."""
    try:
        event = decode(subject, data, headers)
    except Unreadable:
        if latest is None:
            raise
        return latest._replace(seq=seq)
    state = fold.step(latest.state if latest else None, event, seq)
    return Latest(subject, seq, event, state)


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
    if isinstance(event, SubmissionRegradeRequested):
        await _queue_again(js, event, latest)
    attempt, why = next_attempt(latest)
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


async def _queue_again(
    js: JetStreamContext, event: SubmissionRegradeRequested, latest: Latest
) -> None:
    """Queue the job of a request still waiting, unless the queue holds one for it."""
    if not await regrade_queue.queued(js, event):
        await regrade_queue.enqueue(js, event, latest.subject, latest.seq)


def next_attempt(latest: Latest) -> tuple[int | None, str]:
    """The attempt to request next, from the fold of the submission's events, or why none."""
    state = latest.state
    if state is None or state.deleted:
        return None, "deleted"
    if state.status == "pending":
        return None, "still waiting to be graded"
    if state.status == "grading":
        return None, "still being graded"
    return state.attempt + 1, ""


def decode(subject: str, data: bytes, headers: dict[str, str] | None) -> SubmissionEvent:
    try:
        event = codec.decode(data, headers)
    except codec.Unreadable as exc:
        raise Unreadable(f"{subject} holds an event this grindstone cannot read ({exc})") from None
    if not isinstance(event, SubmissionEvent):
        raise Unreadable(f"{subject} holds a {type(event).__name__}, not a submission event")
    return event
