"""events/runfold.py: a run's events in stream order -> what its student sees."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from common import shapes
from events import CodeError, Event, RunFinished, RunOutput, RunRequested, RunStarted, runfold

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
RUN, USER = UUID(int=1), UUID(int=2)
ASSIGNMENT = UUID(int=3)
OUTPUT = RunOutput(stdout="5\n", value="5", time_ms=3)
FAILED = RunOutput(stderr="Traceback\n", error=CodeError(error="NameError: x", line=1), time_ms=4)

REQUESTED = RunRequested(
    occurred_at=T0,
    run_id=RUN,
    user_id=USER,
    assignment_id=ASSIGNMENT,
    assignment_sha256="a" * 64,
    code="print(5)",
)
STARTED = RunStarted(occurred_at=T0 + timedelta(seconds=1), run_id=RUN, user_id=USER, grader_id="g")


def finished(output: RunOutput = OUTPUT) -> RunFinished:
    return RunFinished(
        occurred_at=T0 + timedelta(seconds=2),
        run_id=RUN,
        user_id=USER,
        assignment_id=ASSIGNMENT,
        output=output,
    )


def fold(*events: Event) -> runfold.RunState | None:
    return runfold.fold(enumerate(events, start=1))


def test_a_run_goes_pending_running_finished():
    assert fold(REQUESTED).status == "pending"  # type: ignore[union-attr]
    assert fold(REQUESTED, STARTED).status == "running"  # type: ignore[union-attr]
    done = fold(REQUESTED, STARTED, finished())
    assert done is not None
    assert (done.status, done.output, done.last_seq, done.created_at) == ("finished", OUTPUT, 3, T0)


def test_a_finish_without_a_start_still_finishes():
    assert fold(REQUESTED, finished()).status == "finished"  # type: ignore[union-attr]


def test_nothing_moves_a_finished_run():
    done = fold(REQUESTED, finished())
    assert fold(REQUESTED, finished(), STARTED) == done
    assert fold(REQUESTED, finished(), finished(FAILED)) == done


def test_events_before_the_request_are_not_a_run():
    assert fold(STARTED, finished()) is None
    late = fold(finished(), REQUESTED)  # the finish before it is not part of it
    assert late is not None and (late.status, late.output, late.last_seq) == ("pending", None, 2)


def test_a_redelivered_event_changes_nothing():
    state = fold(REQUESTED, STARTED)
    assert runfold.step(state, finished(), 2) == state  # at or below what was folded


def test_the_client_shape_of_a_finished_run_carries_its_output():
    shape = shapes.run(fold(REQUESTED, finished(FAILED)))  # type: ignore[arg-type]
    assert shape == shapes.Run(
        id=RUN,
        assignment_id=ASSIGNMENT,
        status="finished",
        stdout="",
        stderr="Traceback\n",
        value=None,
        error=CodeError(error="NameError: x", line=1),
        limit=None,
        time_ms=4,
        created_at=T0,
    )
    pending = shapes.run(fold(REQUESTED))  # type: ignore[arg-type]
    assert (pending.status, pending.stdout, pending.time_ms) == ("pending", "", None)


@given(st.lists(st.sampled_from([REQUESTED, STARTED, finished(), finished(FAILED)]), max_size=8))
def test_once_finished_a_run_never_changes(events):
    states = [runfold.fold(enumerate(events[:n], start=1)) for n in range(len(events) + 1)]
    first = next((s for s in states if s is not None and s.status == "finished"), None)
    if first is not None:
        assert states[-1] == first
