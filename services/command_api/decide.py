"""Pure decisions: (command, state, now) -> the event to append, or a domain refusal."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from common.shapes import assignment_kind
from events import (
    AssignmentPublished,
    ReusedVerdict,
    RunRequested,
    SubmissionCreated,
    SubmissionDeleted,
)
from services.command_api.commands import DeleteSubmission, RunCode, SubmitSolution, code_sha256
from services.command_api.state import CachedVerdict, DeleteState, SubmitState

REUSABLE = ("passed", "failed")  # an `error` verdict may be ours, not the code's: grade again


class Rejected(Exception):
    """A command refused for a reason the client should read."""

    status: ClassVar[int] = 422
    code: ClassVar[str] = "rejected"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(Rejected):
    status = 404
    code = "not_found"


class SubmissionPending(Rejected):
    status = 409
    code = "submission_pending"


class Conflict(Rejected):
    status = 409
    code = "conflict"


class KeyReused(Rejected):
    status = 422
    code = "idempotency_key_reused"


KEY_REUSED_DETAIL = (
    "This Idempotency-Key was already used for a different submission; "
    "use a new key for each new submission."
)

PENDING_DETAIL = (
    "Your previous submission is still waiting for its verdict; "
    "submit again once it has been graded."
)


class CallRefused(Rejected):
    code = "call_refused"


CALL_ON_A_PROGRAM = "This assignment reads standard input; give stdin, not a call."
CALL_WITHOUT_FUNCTION = "This assignment asks for no function to call; run it with stdin."


def reusable(cached: CachedVerdict | None) -> ReusedVerdict | None:
    if cached is None or cached.status not in REUSABLE:
        return None
    return ReusedVerdict(
        from_submission_id=cached.submission_id, status=cached.status, feedback=cached.feedback
    )


def submit_solution(
    command: SubmitSolution,
    state: SubmitState,
    *,
    user_id: UUID,
    submission_id: UUID,
    now: datetime,
) -> SubmissionCreated:
    if state.assignment is None:
        raise NotFound(f"There is no assignment with the id {command.assignment_id}.")
    if any(submission.waiting for submission in state.submissions):  # events/fold.py's rule
        raise SubmissionPending(PENDING_DETAIL)
    return SubmissionCreated(
        occurred_at=now,
        submission_id=submission_id,
        user_id=user_id,
        assignment_id=command.assignment_id,
        code=command.code,
        code_sha256=code_sha256(command.code),
        assignment_sha256=state.assignment.content_sha256,
        reused=reusable(state.cached),
    )


def delete_submission(
    command: DeleteSubmission, state: DeleteState, *, user_id: UUID, now: datetime
) -> SubmissionDeleted:
    last = state.last_event
    if last is None or state.deleted:
        raise NotFound(f"You have no submission with the id {command.submission_id}.")
    return SubmissionDeleted(
        occurred_at=now,
        submission_id=command.submission_id,
        user_id=user_id,
        assignment_id=last.assignment_id,
        pending=state.folded is not None and state.folded.waiting,
    )


def run_code(
    command: RunCode,
    assignment: AssignmentPublished | None,
    *,
    user_id: UUID,
    run_id: UUID,
    now: datetime,
) -> RunRequested:
    """A run against the assignment as published now; never a submission, so no other rule
    (pending submissions, verdicts) applies."""
    if assignment is None:
        raise NotFound(f"There is no assignment with the id {command.assignment_id}.")
    kind = assignment_kind(assignment.test_style, assignment.entry_point)
    if command.call is not None and kind == "program":
        stdio = assignment.test_style == "stdio"
        raise CallRefused(CALL_ON_A_PROGRAM if stdio else CALL_WITHOUT_FUNCTION)
    return RunRequested(
        occurred_at=now,
        run_id=run_id,
        user_id=user_id,
        assignment_id=command.assignment_id,
        assignment_sha256=assignment.content_sha256,
        code=command.code,
        stdin=command.stdin,
        call=command.call,
    )
