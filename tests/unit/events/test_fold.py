"""events/fold.py: the rules of docs/design.md, and properties on random event histories."""

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from events import (
    Event,
    Feedback,
    ReusedVerdict,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
)
from events.fold import SubmissionState, fold, step

SID, UID, AID = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
IDS = {"submission_id": SID, "user_id": UID, "assignment_id": AID}
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def created(reused: str | None = None, n: int = 0) -> SubmissionCreated:
    verdict = None
    if reused:
        fb = Feedback(message="reused")
        verdict = ReusedVerdict(from_submission_id=uuid.uuid4(), status=reused, feedback=fb)  # type: ignore[arg-type]
    return SubmissionCreated(
        occurred_at=at(n),
        code="print(1)",
        code_sha256="c",
        assignment_sha256="a",
        reused=verdict,
        **IDS,
    )


def started(attempt: int = 1, n: int = 1) -> SubmissionGradingStarted:
    return SubmissionGradingStarted(occurred_at=at(n), attempt=attempt, grader_id="g", **IDS)


def graded(attempt: int = 1, status: str = "passed", n: int = 2, deleted: bool = False) -> Event:
    fb = Feedback(message=f"{status} {attempt}")
    return SubmissionGraded(
        occurred_at=at(n),
        attempt=attempt,
        status=status,
        feedback=fb,
        deleted=deleted,
        **IDS,  # type: ignore[arg-type]
    )


def regrade(attempt: int = 2, n: int = 3) -> SubmissionRegradeRequested:
    return SubmissionRegradeRequested(occurred_at=at(n), attempt=attempt, requested_by="op", **IDS)


def cancelled(attempt: int = 2, n: int = 4) -> SubmissionRegradeCancelled:
    fb = Feedback(message="back")
    return SubmissionRegradeCancelled(
        occurred_at=at(n),
        attempt=attempt,
        cancelled_by="op",
        status="failed",
        feedback=fb,
        graded_at=at(2),
        **IDS,
    )


def deleted(pending: bool = False, n: int = 5) -> SubmissionDeleted:
    return SubmissionDeleted(occurred_at=at(n), pending=pending, **IDS)


def run(events: list[Event]) -> SubmissionState | None:
    return fold(enumerate(events, start=1))


def test_a_first_grading() -> None:
    state = run([created()])
    assert state is not None and (state.status, state.waiting, state.graded) == ("pending", True, 0)
    state = run([created(), started()])
    assert state is not None and (state.status, state.waiting, state.started) == (
        "grading",
        True,
        1,
    )
    state = run([created(), started(), graded(status="failed")])
    assert state is not None
    assert (state.status, state.waiting, state.graded, state.last_seq) == ("failed", False, 1, 3)
    assert state.feedback == Feedback(message="failed 1") and state.graded_at == at(2)


def test_a_reused_verdict_is_graded_at_once() -> None:
    state = run([created(reused="passed")])
    assert state is not None
    assert (state.status, state.waiting, state.graded) == ("passed", False, 1)
    assert state.graded_at == state.created_at


def test_a_regrade_clears_the_verdict_and_never_makes_the_student_wait() -> None:
    state = run([created(), started(), graded(), regrade()])
    assert state is not None
    assert (state.status, state.feedback, state.graded_at, state.attempt) == (
        "pending",
        None,
        None,
        2,
    )
    assert not state.waiting
    state = run([created(), started(), graded(), regrade(), started(2)])
    assert state is not None and (state.status, state.waiting) == ("grading", False)


def test_a_stale_verdict_is_ignored() -> None:
    state = run([created(), started(), regrade(2), graded(1)])
    assert state is not None and (state.status, state.attempt, state.last_seq) == ("pending", 2, 3)
    assert state.seen_seq == 4 and state.graded == 1


def test_a_started_after_its_verdict_is_ignored() -> None:
    state = run([created(), started(), graded(), started()])
    assert state is not None and (state.status, state.last_seq) == ("passed", 3)


def test_a_cancelled_regrade_gives_the_verdict_before_it() -> None:
    state = run([created(), started(), graded(), regrade(2), cancelled(2)])
    assert state is not None
    assert (state.status, state.attempt, state.graded_at) == ("failed", 2, at(2))
    assert state.feedback == Feedback(message="back")


def test_deleted_while_waiting_holds_the_student_until_its_verdict() -> None:
    state = run([created(), deleted(pending=True)])
    assert state is not None and state.deleted and state.waiting and state.last_seq == 2
    state = run([created(), deleted(pending=True), started(), graded(deleted=True)])
    assert state is not None and state.deleted and not state.waiting
    assert (state.status, state.last_seq) == ("pending", 2)  # clients never see that verdict


def test_nothing_before_creation_and_no_second_creation() -> None:
    assert run([started(), graded()]) is None
    state = run([graded(), created(), created(reused="failed")])
    assert state is not None and (state.status, state.last_seq) == ("pending", 2)


def test_a_redelivery_and_another_submission_change_nothing() -> None:
    state = run([created(), started()])
    assert state is not None
    assert step(state, graded(), 2) is state
    other = SubmissionDeleted(
        occurred_at=at(9), submission_id=uuid.uuid4(), user_id=UID, assignment_id=AID
    )
    assert step(state, other, 9) is state


# -- properties on random histories ---------------------------------------------------------

attempts = st.integers(min_value=1, max_value=4)
statuses = st.sampled_from(["passed", "failed", "error"])
later = st.one_of(
    st.builds(started, attempts),
    st.builds(graded, attempts, statuses, deleted=st.booleans()),
    st.builds(regrade, attempts),
    st.builds(cancelled, attempts),
    st.builds(deleted, st.booleans()),
    st.builds(created, st.sampled_from([None, "passed"])),
)
histories = st.tuples(
    st.sampled_from([None, "passed", "failed"]), st.lists(later, max_size=12)
).map(lambda t: [created(t[0]), *t[1]])


def visible(state: SubmissionState) -> tuple[object, ...]:
    return (state.status, state.feedback, state.graded_at, state.deleted, state.code)


@settings(max_examples=300)
@given(histories, st.data())
def test_redelivered_events_change_nothing(history: list[Event], data: st.DataObject) -> None:
    pairs = list(enumerate(history, start=1))
    again = [p for p in pairs for _ in range(data.draw(st.integers(1, 2)))]
    assert fold(again) == fold(pairs)


@settings(max_examples=300)
@given(histories, st.integers(0, 13))
def test_folding_in_parts_is_folding_at_once(history: list[Event], cut: int) -> None:
    pairs = list(enumerate(history, start=1))
    assert fold(pairs[cut:], fold(pairs[:cut])) == fold(pairs)


@settings(max_examples=300)
@given(histories)
def test_invariants(history: list[Event]) -> None:
    state: SubmissionState | None = None
    for seq, event in enumerate(history, start=1):
        before = state
        state = step(state, event, seq)
        assert state is not None
        assert state.seen_seq == seq and state.last_seq <= seq
        if before is None:
            continue
        assert state.attempt >= before.attempt  # attempts never go back
        if state.last_seq == before.last_seq:  # an event that changes nothing clients see
            assert visible(state) == visible(before) and state.attempt == before.attempt
        if before.deleted:  # nothing after deletion shows
            assert visible(state) == visible(before) and state.last_seq == before.last_seq
        if getattr(event, "attempt", before.attempt) < before.attempt:  # stale
            assert visible(state) == visible(before)
        if state.status in ("pending", "grading") and not isinstance(
            event, SubmissionGradingStarted
        ):
            assert state.graded_at is None or before.status in ("pending", "grading")
    assert state is not None
    verdicts = [e for e in history if isinstance(e, SubmissionGraded)]
    if history[0].reused is None and not verdicts:  # type: ignore[attr-defined]
        deletions = [e for e in history if isinstance(e, SubmissionDeleted)]
        assert state.waiting == (not deletions or deletions[0].pending)
    if (
        not history[0].reused
        and not verdicts
        and not any(  # type: ignore[attr-defined]
            isinstance(e, SubmissionDeleted) for e in history
        )
    ):
        assert state.waiting
    if verdicts:
        assert not state.waiting
