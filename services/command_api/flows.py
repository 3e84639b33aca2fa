"""One command end to end: read the state, decide, append; one retry if a concurrent append won."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar
from uuid import UUID

from common.nats import ConcurrencyError
from events import SubmissionCreated, subjects
from services.command_api import decide
from services.command_api.commands import DeleteSubmission, SubmitSolution, code_sha256
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
    backend: Backend, command: SubmitSolution, *, user_id: UUID, submission_id: UUID
) -> tuple[SubmissionCreated, int]:
    async def attempt() -> tuple[SubmissionCreated, int]:
        state = await load_submit_state(
            backend.reader, user_id, command.assignment_id, code_sha256(command.code)
        )
        event = decide.submit_solution(
            command, state, user_id=user_id, submission_id=submission_id, now=datetime.now(UTC)
        )
        seq = await backend.publisher.append(
            subjects.submission(user_id, submission_id),
            event,
            msg_id=f"submit:{submission_id}",
            expected_seq=state.last_seq,
            expected_subject=subjects.student_submissions(user_id),
        )
        return event, seq

    return await _twice(attempt, decide.SubmissionPending(decide.PENDING_DETAIL))


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
