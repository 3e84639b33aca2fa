"""Redelivered, duplicated and replayed messages change nothing in the read models."""

import uuid
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import Event, codec
from services.projector import apply, runner, schema
from services.projector.projections import PROJECTIONS
from tests.integration.projector.history import FAILED_RUN, Run, Submission, dump, published

DB_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

USERS = [uuid.UUID(int=1), uuid.UUID(int=2)]
ASSIGNMENTS = [uuid.UUID(int=10), uuid.UUID(int=11)]
SUBMISSIONS = [Submission(USERS[i % 2], ASSIGNMENTS[i // 2 % 2]) for i in range(3)]
RUNS = [Run(USERS[i % 2], ASSIGNMENTS[i % 2]) for i in range(2)]
MINUTES = st.integers(0, 30)
ATTEMPTS = st.integers(1, 3)
VERDICTS = st.sampled_from(["passed", "failed", "error"])


def submission_events(sub: Submission) -> st.SearchStrategy[Event]:
    return st.one_of(
        st.builds(sub.created, MINUTES, st.one_of(st.none(), VERDICTS)),
        st.builds(sub.started, MINUTES, ATTEMPTS),
        st.builds(sub.graded, VERDICTS, MINUTES, ATTEMPTS),
        st.builds(sub.regrade, MINUTES, ATTEMPTS),
        st.builds(sub.deleted, MINUTES),
    )


def run_events(run: Run) -> st.SearchStrategy[Event]:
    return st.one_of(
        st.builds(run.requested, MINUTES),
        st.builds(run.started, MINUTES),
        st.builds(run.finished, MINUTES, st.sampled_from([None, FAILED_RUN])),
    )


def assignment_events() -> st.SearchStrategy[Event]:
    titles = st.sampled_from(["One", "Two", "Three"])
    return st.builds(published, st.sampled_from(ASSIGNMENTS), st.integers(1, 3), titles, MINUTES)


def histories() -> st.SearchStrategy[list[Event]]:
    """Realistic starts (every submission and one run created first), then any order of
    anything (the other run's events may come before its request)."""
    start = [*(sub.created(0) for sub in SUBMISSIONS), RUNS[0].requested(0)]
    anything = st.one_of(
        assignment_events(),
        *(submission_events(s) for s in SUBMISSIONS),
        *(run_events(r) for r in RUNS),
    )
    return st.lists(anything, max_size=25).map(lambda rest: start + rest)


Message = tuple[int, bytes, dict[str, str]]
SUBJECT = "events.submission.u.s"  # one for all: nothing here is set aside


async def project(pool, messages: list[Message]) -> dict[str, Any]:
    """Fresh read models, then every message through the runner's handle path."""
    await schema.drop(pool)
    await schema.create(pool)
    for seq, data, headers in messages:
        await runner.handle(pool, seq, SUBJECT, data, headers)
    return {**await dump(pool), "checkpoints": await schema.checkpoints(pool)}


def with_redeliveries(messages: list[Message], again: list[tuple[int, int]]) -> list[Message]:
    """After message i, deliver message j <= i once more, for each (i, j)."""
    noisy = []
    for i, message in enumerate(messages):
        noisy.append(message)
        noisy += [messages[j] for at, j in again if at == i and j <= i]
    return noisy


@DB_EXAMPLES
@given(
    history=histories(),
    again=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12),
)
async def test_redelivered_messages_do_not_change_the_read_models(pool, history, again):
    messages = [(seq, *codec.encode(event)) for seq, event in enumerate(history, start=1)]
    clean = await project(pool, messages)
    assert await project(pool, with_redeliveries(messages, again)) == clean


@DB_EXAMPLES
@given(history=histories(), again=st.lists(st.integers(0, 30), max_size=12))
async def test_applying_messages_again_does_not_move_rows_back(pool, history, again):
    """Past the checkpoint guard (a reset checkpoint): each projection's own guards hold."""
    numbered = list(enumerate(history, start=1))
    clean = await project(pool, [(seq, *codec.encode(event)) for seq, event in numbered])
    repeats = numbered + [numbered[i] for i in again if i < len(numbered)]
    async with pool.connection() as conn, conn.transaction():
        for seq, event in repeats:
            for projection in PROJECTIONS:
                await projection.apply(conn, event, seq)
    assert {**await dump(pool), "checkpoints": await schema.checkpoints(pool)} == clean


@DB_EXAMPLES
@given(
    history=histories(),
    again=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=12),
    size=st.integers(1, 8),
)
async def test_batches_of_any_size_give_the_same_read_models(pool, history, again, size):
    messages = [(seq, *codec.encode(event)) for seq, event in enumerate(history, start=1)]
    clean = await project(pool, messages)
    await schema.drop(pool)
    await schema.create(pool)
    noisy = with_redeliveries(messages, again)
    for at in range(0, len(noisy), size):
        decoded = apply.decode([(seq, SUBJECT, *rest) for seq, *rest in noisy[at : at + size]])
        assert not [event for *_, event in decoded if isinstance(event, str)]
        await runner.handle_batch(pool, decoded)
    assert {**await dump(pool), "checkpoints": await schema.checkpoints(pool)} == clean
