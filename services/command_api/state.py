"""What a decision needs, read from the stream and the verdict cache."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from uuid import UUID

import msgspec
from nats.js import JetStreamContext
from nats.js.errors import KeyDeletedError, KeyNotFoundError
from nats.js.kv import KeyValue

from common import nats as gnats
from events import (
    AssignmentPublished,
    Event,
    Feedback,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    Verdict,
    codec,
    fold,
    subjects,
)
from services.command_api.assignments import Assignments
from services.command_api.pending import tells_pending

log = logging.getLogger(__name__)
READ_TIMEOUT_S = 5.0  # a pass over one student's submission events

SubmissionEvent = (
    SubmissionCreated
    | SubmissionGradingStarted
    | SubmissionGraded
    | SubmissionDeleted
    | SubmissionRegradeRequested
)


class CachedVerdict(msgspec.Struct, frozen=True):
    """A value of the `grading-verdicts` bucket, as the grader writes it."""

    submission_id: UUID
    status: Verdict
    feedback: Feedback


@dataclass(frozen=True, kw_only=True)
class SubmitState:
    assignment: AssignmentPublished | None
    last_event: SubmissionEvent | None  # the student's last submission event
    last_seq: int  # its stream sequence, 0 when the student has none
    cached: CachedVerdict | None = None
    # the folds (events/fold.py) of the student's submissions that may still wait for their
    # first verdict: the newest, or every one when their last event does not tell
    # (pending.tells_pending: a re-grade's event, or an older submission's deletion)
    submissions: list[fold.SubmissionState] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class DeleteState:
    last_event: SubmissionEvent | None  # the submission's last event
    last_seq: int
    deleted: bool = False  # deleted already (its grading may still be going on)
    folded: fold.SubmissionState | None = None  # the fold of its events


_verdict = msgspec.json.Decoder(CachedVerdict)


class StreamReader:
    def __init__(
        self, js: JetStreamContext, verdicts: KeyValue, assignments: Assignments | None = None
    ) -> None:
        self.js = js
        self.verdicts = verdicts
        # the assignments followed in the process; without them each is read from the stream
        self.assignments = assignments or Assignments(js)

    async def last(self, subject: str) -> tuple[Event | None, int]:
        """The last event on a subject (None if absent or of an unknown type) and its seq.
        Read from the stream's leader: with replicas, a direct get may be answered by a follower
        that lags, and a student whose graded message has arrived would be told it still waits."""
        msg = await gnats.last_message(self.js, subject, direct=False)
        if msg is None:
            return None, 0
        try:
            return codec.decode(msg.data or b"", msg.headers), int(msg.seq or 0)
        except codec.Unreadable as exc:  # set aside by the consumers; here it tells nothing
            log.warning("event %s cannot be read: %s", msg.seq, exc)
            return None, int(msg.seq or 0)

    async def history(self, subject: str) -> list[tuple[Event | None, int]]:
        """Every event of one subject (None where unreadable), with its seq: a submission's
        few."""
        found: list[tuple[Event | None, int]] = []
        async for msg in gnats.subject_messages(self.js, subject, direct=False):  # as `last`
            try:
                found.append((codec.decode(msg.data or b"", msg.headers), int(msg.seq or 0)))
            except codec.Unreadable:
                found.append((None, int(msg.seq or 0)))
        return found

    async def folds(self, subjects_filter: str) -> list[fold.SubmissionState]:
        """The fold of every submission the filter matches: one pass of an ordered consumer
        (unreadable events are passed over)."""
        if await gnats.last_message(self.js, subjects_filter) is None:
            return []
        sub = await self.js.subscribe(
            subjects_filter, stream=subjects.EVENTS_STREAM, ordered_consumer=True
        )
        found: dict[str, fold.SubmissionState | None] = {}
        try:
            while True:
                msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
                with contextlib.suppress(codec.Unreadable):
                    event = codec.decode(msg.data, msg.headers)
                    seq = msg.metadata.sequence.stream
                    found[msg.subject] = fold.step(found.get(msg.subject), event, seq)
                if msg.metadata.num_pending == 0:
                    return [state for state in found.values() if state is not None]
        finally:
            await sub.unsubscribe()

    async def first(self, subject: str) -> tuple[Event | None, int]:
        """The first event on a subject (None if absent or unreadable) and its seq."""
        async for msg in gnats.subject_messages(self.js, subject):
            try:
                return codec.decode(msg.data or b"", msg.headers), int(msg.seq or 0)
            except codec.Unreadable:
                return None, int(msg.seq or 0)
        return None, 0

    async def verdict(self, assignment_sha256: str, code_sha256: str) -> CachedVerdict | None:
        try:
            entry = await self.verdicts.get(subjects.verdict_key(assignment_sha256, code_sha256))
        except (KeyNotFoundError, KeyDeletedError):  # never cached, or taken back
            return None
        try:
            return _verdict.decode(entry.value or b"")
        except msgspec.DecodeError:
            log.warning("unreadable cached verdict for assignment %s", assignment_sha256)
            return None


def _submission_event(event: Event | None) -> SubmissionEvent | None:
    return event if isinstance(event, SubmissionEvent) else None


async def load_submit_state(
    reader: StreamReader, user_id: UUID, assignment_id: UUID, code_sha256: str
) -> SubmitState:
    assignment = await reader.assignments.published(assignment_id)  # mostly in the process
    student = reader.last(subjects.student_submissions(user_id))
    cached = None
    if assignment is None:
        last, seq = await student
    else:  # two independent reads at once
        (last, seq), cached = await asyncio.gather(
            student, reader.verdict(assignment.content_sha256, code_sha256)
        )
    return SubmitState(
        assignment=assignment,
        last_event=_submission_event(last),
        last_seq=seq,
        cached=cached,
        submissions=await _may_wait(reader, user_id, last, seq),
    )


async def _may_wait(
    reader: StreamReader, user_id: UUID, last: Event | None, seq: int
) -> list[fold.SubmissionState]:
    """The folds of the student's submissions that may wait, read as cheaply as their last
    event allows: a creation alone, its submission's few events, or every submission."""
    if isinstance(last, SubmissionCreated):
        return [fold.created(last, seq)]
    if last is None:
        return []
    if not tells_pending(last):
        return await reader.folds(subjects.student_submissions(user_id))
    events = await reader.history(subjects.submission(user_id, last.submission_id))  # type: ignore[attr-defined]
    state = fold.fold((at, event) for event, at in events if event is not None)
    return [] if state is None else [state]


async def load_delete_state(
    reader: StreamReader, user_id: UUID, submission_id: UUID
) -> DeleteState:
    events = await reader.history(subjects.submission(user_id, submission_id))
    last, seq = events[-1] if events else (None, 0)
    deleted = any(isinstance(event, SubmissionDeleted) for event, _ in events)
    folded = fold.fold((at, event) for event, at in events if event is not None)
    return DeleteState(
        last_event=_submission_event(last), last_seq=seq, deleted=deleted, folded=folded
    )
