"""The projector's SQL and events/fold.py agree: random histories of several submissions,
applied by the real projector to a real Postgres, give the rows the fold gives."""

import uuid
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import Event, Feedback, SubmissionRegradeCancelled, codec
from events.fold import fold
from services.projector import apply, runner, schema
from services.projector.projections import submissions
from tests.integration.projector.history import Submission, at, dump

DB_EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

USERS = [uuid.UUID(int=1), uuid.UUID(int=2)]
SUBMISSIONS = [Submission(USERS[i % 2], uuid.UUID(int=10 + i % 2)) for i in range(3)]
MINUTES = st.integers(0, 30)
ATTEMPTS = st.integers(1, 3)
VERDICTS = st.sampled_from(["passed", "failed", "error"])


def cancelled(sub: Submission, minute: int, attempt: int, status: str) -> Event:
    return SubmissionRegradeCancelled(
        occurred_at=at(minute), attempt=attempt, cancelled_by="operator", status=status,  # type: ignore[arg-type]
        feedback=Feedback(message=f"{status} again"), graded_at=at(1),
        submission_id=sub.submission_id, user_id=sub.user_id, assignment_id=sub.assignment_id,
    )  # fmt: skip


def submission_events(sub: Submission) -> st.SearchStrategy[Event]:
    return st.one_of(
        st.builds(sub.created, MINUTES, st.one_of(st.none(), VERDICTS)),
        st.builds(sub.started, MINUTES, ATTEMPTS),
        st.builds(sub.graded, VERDICTS, MINUTES, ATTEMPTS),
        st.builds(sub.regrade, MINUTES, ATTEMPTS),
        st.builds(cancelled, st.just(sub), MINUTES, ATTEMPTS, VERDICTS),
        st.builds(sub.deleted, MINUTES),
    )


# any order of anything: creations anywhere (or never), events before them, stale attempts
histories = st.lists(st.one_of(*(submission_events(s) for s in SUBMISSIONS)), max_size=30)


def folded_rows(history: list[Event]) -> list[dict[str, Any]]:
    """The rows the fold gives, each submission's events folded on their own."""
    numbered = list(enumerate(history, start=1))
    rows = []
    for sub in SUBMISSIONS:
        state = fold((seq, e) for seq, e in numbered if e.submission_id == sub.submission_id)  # type: ignore[attr-defined]
        if state is not None:
            row = {name: getattr(state, name) for name in submissions.COLUMNS}
            row["feedback"] = state.feedback and msgspec.to_builtins(state.feedback)
            rows.append(row)
    return sorted(rows, key=lambda r: str(r["submission_id"]))


def rebuilt_rows(history: list[Event]) -> list[tuple[Any, ...]]:
    """What a replay writes: the projection's in-memory builder over the whole history."""
    rebuilt = submissions.Rebuilt()
    for seq, event in enumerate(history, start=1):
        rebuilt.add(event, seq)
    return sorted(rebuilt.rows(), key=lambda r: str(r[0]))


@DB_EXAMPLES
@given(history=histories)
async def test_the_sql_projection_is_the_fold(pool, history):
    await schema.drop(pool)
    await schema.create(pool)
    messages = [
        (seq, "events.submission.u.s", *codec.encode(e)) for seq, e in enumerate(history, 1)
    ]
    if messages:
        await runner.handle_batch(pool, apply.decode(messages))
    rows = (await dump(pool))["submissions"]
    folded = folded_rows(history)
    assert sorted(rows, key=lambda r: str(r["submission_id"])) == folded
    assert [r[0] for r in rebuilt_rows(history)] == [r["submission_id"] for r in folded]
