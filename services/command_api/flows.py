"""One command end to end: read the state, decide, append; one retry if a concurrent append won."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

from common.nats import ConcurrencyError
from events import RunRequested, SubmissionCreated, subjects
from services.command_api import decide
from services.command_api.commands import DeleteSubmission, RunCode, SubmitSolution, code_sha256
from services.command_api.publisher import EventPublisher
from services.command_api.state import StreamReader, load_delete_state, load_submit_state

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class Backend:
    reader: StreamReader
    publisher: EventPublisher


async def _twice(attempt: Callable[[], Awaitable[T]], lost: decide.Rejected) -> T:
    """Run `attempt`; if a concurrent append won, once more on fresh state; then `lost`."""
    try:
        return await attempt()
    except ConcurrencyError as exc:
        log.info("lost a race on %s; reading again", exc)
    try:
        return await attempt()
    except ConcurrencyError as exc:
        raise lost from exc


async def submit(
    backend: Backend,
    command: SubmitSolution,
    *,
    user_id: UUID,
    submission_id: UUID,
    keyed: bool = False,
) -> tuple[SubmissionCreated, int]:
    """Decide and append; `keyed` (the id comes from an Idempotency-Key): a submission already
    made under this id is the answer, and the stored event is always the one answered with."""
    subject = subjects.submission(user_id, submission_id)

    async def attempt() -> tuple[SubmissionCreated, int]:
        if keyed and (made := await _made(backend, subject, command)) is not None:
            return made
        state = await load_submit_state(
            backend.reader, user_id, command.assignment_id, code_sha256(command.code)
        )
        event = decide.submit_solution(
            command, state, user_id=user_id, submission_id=submission_id, now=datetime.now(UTC)
        )
        seq = await backend.publisher.append(
            subject,
            event,
            msg_id=f"submit:{submission_id}",
            expected_seq=state.last_seq,
            expected_subject=subjects.student_submissions(user_id),
            new_subject=not keyed,  # a fresh uuid4; a key's id may name an older subject
        )
        if keyed:  # a concurrent twin may have won; JetStream then acked its event as ours
            return await _made(backend, subject, command) or (event, seq)
        return event, seq

    return await _twice(attempt, decide.SubmissionPending(decide.PENDING_DETAIL))


async def _made(
    backend: Backend, subject: str, command: SubmitSolution
) -> tuple[SubmissionCreated, int] | None:
    """The submission this key already made, if any; the same key for another request is a
    refusal."""
    event, seq = await backend.reader.first(subject)
    if not isinstance(event, SubmissionCreated):
        return None
    if (event.assignment_id, event.code) != (command.assignment_id, command.code):
        raise decide.KeyReused(decide.KEY_REUSED_DETAIL)
    return event, seq


async def delete(backend: Backend, command: DeleteSubmission, *, user_id: UUID) -> int:
    async def attempt() -> int:
        state = await load_delete_state(backend.reader, user_id, command.submission_id)
        event = decide.delete_submission(command, state, user_id=user_id, now=datetime.now(UTC))
        return await backend.publisher.append(
            subjects.submission(user_id, command.submission_id),
            event,
            msg_id=f"delete:{command.submission_id}",
            expected_seq=state.last_seq,
        )

    lost = decide.Conflict("The submission changed while it was being deleted; try again.")
    return await _twice(attempt, lost)


async def run(
    backend: Backend, command: RunCode, *, user_id: UUID, run_id: UUID
) -> tuple[RunRequested, int]:
    """Decide against the assignment as published and append the run on its own new subject
    (a run id is fresh: nothing to race with, no student state to read)."""
    assignment = await backend.reader.assignments.published(command.assignment_id)
    event = decide.run_code(
        command, assignment, user_id=user_id, run_id=run_id, now=datetime.now(UTC)
    )
    seq = await backend.publisher.append(
        subjects.run(user_id, run_id),
        event,
        msg_id=f"run:{run_id}",
        expected_seq=0,  # creation: the subject must still be empty
        new_subject=True,
    )
    return event, seq
