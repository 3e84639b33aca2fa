"""What a decision needs, read from the stream and the verdict cache."""

import logging
from dataclasses import dataclass
from uuid import UUID

import msgspec
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
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
    subjects,
)
from services.command_api.pending import tells_pending

log = logging.getLogger(__name__)
READ_TIMEOUT_S = 5.0  # a pass over one student's submissions

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
    # the last event of each of the student's submissions, read when the last event alone does
    # not tell whether one waits (decide.tells_pending); None: not read
    each_last: list[Event | None] | None = None


@dataclass(frozen=True, kw_only=True)
class DeleteState:
    last_event: SubmissionEvent | None  # the submission's last event
    last_seq: int
    deleted: bool = False  # deleted already (its grading may still be going on)


_verdict = msgspec.json.Decoder(CachedVerdict)


class StreamReader:
    def __init__(self, js: JetStreamContext, verdicts: KeyValue) -> None:
        self.js = js
        self.verdicts = verdicts

    async def last(self, subject: str) -> tuple[Event | None, int]:
        """The last event on a subject (None if absent or of an unknown type) and its seq."""
        msg = await gnats.last_message(self.js, subject)
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
        async for msg in gnats.subject_messages(self.js, subject):
            try:
                found.append((codec.decode(msg.data or b"", msg.headers), int(msg.seq or 0)))
            except codec.Unreadable:
                found.append((None, int(msg.seq or 0)))
        return found

    async def each_last(self, subjects_filter: str) -> list[Event | None]:
        """The last event of every subject the filter matches (None where unreadable): one
        pass of an ordered consumer."""
        if await gnats.last_message(self.js, subjects_filter) is None:
            return []
        sub = await self.js.subscribe(
            subjects_filter,
            stream=subjects.EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
        )
        found: dict[str, Event | None] = {}
        try:
            while True:
                msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
                try:
                    found[msg.subject] = codec.decode(msg.data, msg.headers)
                except codec.Unreadable:
                    found[msg.subject] = None
                if msg.metadata.num_pending == 0:
                    return list(found.values())
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
    assignment = await gnats.published(reader.js, assignment_id)
    last, seq = await reader.last(subjects.student_submissions(user_id))
    cached = None
    if assignment is not None:
        cached = await reader.verdict(assignment.content_sha256, code_sha256)
    each_last = None
    if not tells_pending(last):
        each_last = await reader.each_last(subjects.student_submissions(user_id))
    return SubmitState(
        assignment=assignment,
        last_event=_submission_event(last),
        last_seq=seq,
        cached=cached,
        each_last=each_last,
    )


async def load_delete_state(
    reader: StreamReader, user_id: UUID, submission_id: UUID
) -> DeleteState:
    events = await reader.history(subjects.submission(user_id, submission_id))
    last, seq = events[-1] if events else (None, 0)
    deleted = any(isinstance(event, SubmissionDeleted) for event, _ in events)
    return DeleteState(last_event=_submission_event(last), last_seq=seq, deleted=deleted)
