"""A rival append between our read and our append: re-read once, then give up with a 409."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from common import nats as gnats
from events import Event, SubmissionCreated, SubmissionDeleted, SubmissionGradingStarted, subjects
from services.command_api import decide, flows
from services.command_api.commands import DeleteSubmission, SubmitSolution
from services.command_api.publisher import EventPublisher
from services.command_api.state import StreamReader

NOW = datetime(2025, 1, 1, tzinfo=UTC)


class RivalBeforeAppend(StreamReader):
    """Reads the stream for real, then lets a rival append on `subject` before we do."""

    def __init__(self, js, verdicts, subject: str, rival: Callable[[], Awaitable[None]], times):
        super().__init__(js, verdicts)
        self.subject, self.rival, self.times, self.reads = subject, rival, times, 0

    async def last(self, subject: str) -> tuple[Event | None, int]:
        result = await super().last(subject)
        await self._after_read(subject)
        return result

    async def history(self, subject: str) -> list[tuple[Event | None, int]]:
        result = await super().history(subject)
        await self._after_read(subject)
        return result

    async def _after_read(self, subject: str) -> None:
        if subject == self.subject:
            self.reads += 1
            if self.reads <= self.times:
                await self.rival()


async def backend_with_rival(js, subject, rival, times) -> tuple[flows.Backend, RivalBeforeAppend]:
    verdicts = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    reader = RivalBeforeAppend(js, verdicts, subject, rival, times)
    return flows.Backend(reader, EventPublisher(js)), reader


def rival_append(js, user_id: UUID, make: Callable[[UUID], Event], submission_id=None):
    async def append() -> None:
        sid = submission_id or uuid4()
        await gnats.append(js, subjects.submission(user_id, sid), make(sid), msg_id=str(uuid4()))

    return append


def created(user_id: UUID, assignment_id: UUID) -> Callable[[UUID], Event]:
    return lambda sid: SubmissionCreated(
        occurred_at=NOW,
        submission_id=sid,
        user_id=user_id,
        assignment_id=assignment_id,
        code="print(1)",
        code_sha256="c" * 64,
        assignment_sha256="a" * 64,
    )


def deleted(user_id: UUID, assignment_id: UUID) -> Callable[[UUID], Event]:
    return lambda sid: SubmissionDeleted(
        occurred_at=NOW, submission_id=sid, user_id=user_id, assignment_id=assignment_id
    )


async def test_a_rival_pending_submission_turns_ours_into_a_409(js, assignment):
    user_id, aid = uuid4(), assignment.assignment_id
    rival = rival_append(js, user_id, created(user_id, aid))
    backend, reader = await backend_with_rival(
        js, subjects.student_submissions(user_id), rival, times=1
    )

    with pytest.raises(decide.SubmissionPending):
        await flows.submit(
            backend, SubmitSolution(aid, "x = 1"), user_id=user_id, submission_id=uuid4()
        )

    assert reader.reads == 2  # it read again before refusing
    assert (await js.stream_info(subjects.EVENTS_STREAM)).state.messages == 2


async def test_a_harmless_rival_append_is_absorbed_by_one_retry(js, assignment):
    user_id, aid = uuid4(), assignment.assignment_id
    rival = rival_append(js, user_id, deleted(user_id, aid))
    backend, _ = await backend_with_rival(js, subjects.student_submissions(user_id), rival, 1)

    event, seq = await flows.submit(
        backend, SubmitSolution(aid, "x = 1"), user_id=user_id, submission_id=uuid4()
    )

    assert seq == 3  # assignment, the rival's event, ours
    assert event.user_id == user_id


async def test_losing_the_race_twice_gives_up_with_a_409(js, assignment):
    user_id, aid = uuid4(), assignment.assignment_id
    rival = rival_append(js, user_id, deleted(user_id, aid))
    backend, reader = await backend_with_rival(js, subjects.student_submissions(user_id), rival, 2)

    with pytest.raises(decide.SubmissionPending):
        await flows.submit(
            backend, SubmitSolution(aid, "x = 1"), user_id=user_id, submission_id=uuid4()
        )

    assert reader.reads == 2


async def test_a_delete_racing_the_grader_is_retried_and_lands(js, assignment):
    user_id, aid, sid = uuid4(), assignment.assignment_id, uuid4()
    await rival_append(js, user_id, created(user_id, aid), sid)()
    started = rival_append(
        js,
        user_id,
        lambda s: SubmissionGradingStarted(
            occurred_at=NOW,
            submission_id=s,
            user_id=user_id,
            assignment_id=aid,
            attempt=1,
            grader_id="rival",
        ),
        sid,
    )
    backend, reader = await backend_with_rival(js, subjects.submission(user_id, sid), started, 1)

    seq = await flows.delete(backend, DeleteSubmission(sid), user_id=user_id)

    assert reader.reads == 2
    msg = await js.get_msg(subjects.EVENTS_STREAM, seq)
    assert msg.headers["Event-Type"] == "SubmissionDeleted"
