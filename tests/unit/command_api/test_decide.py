"""decide: given the state from the stream, when a command comes, then an event or a refusal."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from events import (
    AssignmentPublished,
    Event,
    Feedback,
    ReusedVerdict,
    RunRequested,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
    fold,
)
from services.command_api import decide, pending
from services.command_api.commands import (
    DeleteSubmission,
    RunCode,
    SubmitSolution,
    code_sha256,
)
from services.command_api.state import CachedVerdict, DeleteState, SubmitState

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
USER = UUID("00000000-0000-4000-8000-000000000001")
ASSIGNMENT = UUID("00000000-0000-4000-8000-0000000000a1")
SUBMISSION = UUID("00000000-0000-4000-8000-0000000000b1")
EARLIER = UUID("00000000-0000-4000-8000-0000000000b0")
CODE = "def add(a, b):\n    return a + b\n"
FEEDBACK = Feedback(message="All tests passed.")

PUBLISHED = AssignmentPublished(
    occurred_at=NOW - timedelta(days=1),
    assignment_id=ASSIGNMENT,
    source_id="add",
    title="Add",
    position=1,
    handout="Add two numbers.",
    starter="",
    tests="",
    test_style="module",
    content_sha256="a" * 64,
)


def ids() -> dict[str, UUID]:
    return {"submission_id": EARLIER, "user_id": USER, "assignment_id": ASSIGNMENT}


def created(reused: ReusedVerdict | None = None) -> SubmissionCreated:
    return SubmissionCreated(
        occurred_at=NOW,
        **ids(),
        code="x",
        code_sha256="c" * 64,
        assignment_sha256="a" * 64,
        reused=reused,
    )


PENDING_EVENTS = [
    created(),
    SubmissionGradingStarted(occurred_at=NOW, **ids(), attempt=1, grader_id="g1"),
]
# a re-grade is the operators': its events never leave the student's submission waiting
REGRADE_EVENTS = [
    SubmissionRegradeRequested(occurred_at=NOW, **ids(), attempt=2, requested_by="operator"),
    SubmissionGradingStarted(occurred_at=NOW, **ids(), attempt=2, grader_id="g1"),
    SubmissionGraded(occurred_at=NOW, **ids(), attempt=2, status="passed", feedback=FEEDBACK),
    SubmissionRegradeCancelled(
        occurred_at=NOW,
        **ids(),
        attempt=2,
        cancelled_by="operator",
        status="failed",
        feedback=FEEDBACK,
    ),
]
SETTLED_EVENTS = [
    None,
    SubmissionGraded(occurred_at=NOW, **ids(), attempt=1, status="failed", feedback=FEEDBACK),
    SubmissionDeleted(occurred_at=NOW, **ids()),
    created(ReusedVerdict(from_submission_id=uuid4(), status="passed", feedback=FEEDBACK)),
]


def history_of(last: object) -> list[Event]:
    """A plausible history of one submission that ends with `last`."""
    if last is None:
        return []
    if isinstance(last, SubmissionCreated):
        return [last]
    started, graded = PENDING_EVENTS[1], SETTLED_EVENTS[1]
    if last is started:
        return [created(), started]
    first = [created(), started, graded]
    if last is graded:
        return first
    if isinstance(last, SubmissionDeleted):
        return [*first, last]
    at = REGRADE_EVENTS.index(last)  # a re-grade's events in order; a cancel follows the request
    return [*first, *(REGRADE_EVENTS[: at + 1] if at < 3 else [REGRADE_EVENTS[0], last])]


def folded(history: list[Event]) -> fold.SubmissionState | None:
    return fold.fold(enumerate(history, start=1))


def after(last, *others: list[Event], seq: int = 7, assignment=PUBLISHED) -> SubmitState:
    """The state when the student's last event is `last` (its submission folded), with their
    `others` submissions."""
    states = [folded(history_of(last)), *map(folded, others)]
    return SubmitState(
        assignment=assignment,
        last_event=last,
        last_seq=seq,
        submissions=[state for state in states if state is not None],
    )


def delete_state(last) -> DeleteState:
    return DeleteState(last_event=last, last_seq=9, folded=folded(history_of(last)))


def submit(state: SubmitState, code: str = CODE) -> SubmissionCreated:
    return decide.submit_solution(
        SubmitSolution(ASSIGNMENT, code), state, user_id=USER, submission_id=SUBMISSION, now=NOW
    )


def test_a_first_submission_is_created_pending_against_the_assignment_content():
    event = submit(SubmitState(assignment=PUBLISHED, last_event=None, last_seq=0))

    assert event == SubmissionCreated(
        occurred_at=NOW,
        submission_id=SUBMISSION,
        user_id=USER,
        assignment_id=ASSIGNMENT,
        code=CODE,
        code_sha256=code_sha256(CODE),
        assignment_sha256=PUBLISHED.content_sha256,
        reused=None,
    )


def test_an_unknown_assignment_is_refused_as_not_found():
    with pytest.raises(decide.NotFound) as refused:
        submit(SubmitState(assignment=None, last_event=None, last_seq=0))
    assert refused.value.status == 404 and str(ASSIGNMENT) in refused.value.detail


@pytest.mark.parametrize("last", PENDING_EVENTS, ids=lambda e: type(e).__name__)
def test_a_submission_still_pending_or_grading_refuses_a_new_one(last):
    with pytest.raises(decide.SubmissionPending) as refused:
        submit(after(last))
    assert refused.value.status == 409 and refused.value.code == "submission_pending"


@pytest.mark.parametrize("last", SETTLED_EVENTS, ids=lambda e: type(e).__name__)
def test_a_settled_last_event_lets_the_student_submit(last):
    event = submit(after(last))
    assert event.submission_id == SUBMISSION


@pytest.mark.parametrize("last", REGRADE_EVENTS, ids=lambda e: type(e).__name__)
def test_a_regrade_leaves_no_submission_waiting_but_does_not_tell_about_the_others(last):
    assert not folded(history_of(last)).waiting
    assert not pending.tells_pending(last)  # the student's newest submission may still wait
    settled = after(last, history_of(SETTLED_EVENTS[1]))
    assert submit(settled).submission_id == SUBMISSION


@pytest.mark.parametrize("waiting", PENDING_EVENTS, ids=lambda e: type(e).__name__)
def test_a_regrade_after_the_students_own_waiting_submission_does_not_free_the_slot(waiting):
    with pytest.raises(decide.SubmissionPending):
        submit(after(REGRADE_EVENTS[0], history_of(waiting)))


@pytest.mark.parametrize("last", [*PENDING_EVENTS, *SETTLED_EVENTS[:2]])
def test_the_students_own_first_gradings_tell_alone(last):
    assert pending.tells_pending(last)


def test_an_unknown_assignment_wins_over_a_pending_submission():
    with pytest.raises(decide.NotFound):
        submit(after(PENDING_EVENTS[0], assignment=None))


@pytest.mark.parametrize("status", ["passed", "failed"])
def test_a_cached_verdict_is_reused(status):
    cached = CachedVerdict(submission_id=EARLIER, status=status, feedback=FEEDBACK)

    event = submit(SubmitState(assignment=PUBLISHED, last_event=None, last_seq=0, cached=cached))

    assert event.reused == ReusedVerdict(
        from_submission_id=EARLIER, status=status, feedback=FEEDBACK
    )


def test_a_cached_error_is_not_reused():
    cached = CachedVerdict(submission_id=EARLIER, status="error", feedback=FEEDBACK)

    event = submit(SubmitState(assignment=PUBLISHED, last_event=None, last_seq=0, cached=cached))

    assert event.reused is None


def test_a_reused_submission_is_not_pending_but_a_fresh_one_is():
    reused = created(ReusedVerdict(from_submission_id=EARLIER, status="passed", feedback=FEEDBACK))
    assert not folded([reused]).waiting
    assert folded([created()]).waiting


@given(
    code=st.text(max_size=200),
    last=st.sampled_from(SETTLED_EVENTS),
)
def test_an_accepted_submission_carries_exactly_the_code_and_its_hash(code, last):
    event = submit(after(last, seq=1), code=code)
    assert event.code == code and event.code_sha256 == code_sha256(code)
    assert folded([event]).waiting


def test_deleting_a_submission_names_its_assignment():
    state = delete_state(PENDING_EVENTS[1])

    event = decide.delete_submission(DeleteSubmission(EARLIER), state, user_id=USER, now=NOW)

    assert event == SubmissionDeleted(
        occurred_at=NOW,
        submission_id=EARLIER,
        user_id=USER,
        assignment_id=ASSIGNMENT,
        pending=True,  # deleted while waiting for its verdict
    )


@pytest.mark.parametrize("last", PENDING_EVENTS)
def test_a_submission_deleted_while_waiting_still_holds_the_students_slot(last):
    state = delete_state(last)
    deleted = decide.delete_submission(DeleteSubmission(EARLIER), state, user_id=USER, now=NOW)
    assert folded([*history_of(last), deleted]).waiting
    settled = delete_state(SETTLED_EVENTS[1])
    deleted = decide.delete_submission(DeleteSubmission(EARLIER), settled, user_id=USER, now=NOW)
    assert not folded([*history_of(SETTLED_EVENTS[1]), deleted]).waiting


@pytest.mark.parametrize("last", [None, SETTLED_EVENTS[2]], ids=["unknown", "deleted"])
def test_deleting_an_unknown_or_deleted_submission_is_not_found(last):
    state = DeleteState(last_event=last, last_seq=0, deleted=last is not None)
    with pytest.raises(decide.NotFound):
        decide.delete_submission(DeleteSubmission(EARLIER), state, user_id=USER, now=NOW)


RUN = UUID("00000000-0000-4000-8000-0000000000c1")


def run_code(assignment: AssignmentPublished | None, **fields) -> RunRequested:
    command = RunCode(**{"assignment_id": ASSIGNMENT, "code": CODE, **fields})
    return decide.run_code(command, assignment, user_id=USER, run_id=RUN, now=NOW)


def test_a_run_is_requested_against_the_assignment_as_published():
    function = msgspec.structs.replace(PUBLISHED, entry_point="add")
    assert run_code(function, stdin="1\n", call="add(2, 3)") == RunRequested(
        occurred_at=NOW,
        run_id=RUN,
        user_id=USER,
        assignment_id=ASSIGNMENT,
        assignment_sha256="a" * 64,
        code=CODE,
        stdin="1\n",
        call="add(2, 3)",
    )


def test_a_program_runs_with_stdin_only():
    program = msgspec.structs.replace(PUBLISHED, test_style="stdio")
    assert run_code(program, stdin="3\n").stdin == "3\n"
    with pytest.raises(decide.CallRefused) as refused:
        run_code(program, call="main()")
    assert (refused.value.status, refused.value.code) == (422, "call_refused")
    assert refused.value.detail == decide.CALL_ON_A_PROGRAM
    with pytest.raises(decide.CallRefused, match="no function"):
        run_code(PUBLISHED, call="add(2, 3)")  # module tests that call no named function


def test_a_run_of_an_unknown_assignment_is_not_found():
    with pytest.raises(decide.NotFound):
        run_code(None)
