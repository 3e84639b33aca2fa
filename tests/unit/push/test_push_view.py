"""The pure fold: events of one submission -> the shape clients see and the messages to send."""

import json

from hypothesis import given
from hypothesis import strategies as st

from events import Event, Feedback
from services.push import view
from tests.unit.push.builders import Story


def run(events: list[Event]) -> tuple[view.SubmissionState | None, list[view.Message]]:
    """Fold events at seqs 1, 2, ... and collect every message."""
    state, sent = None, []
    for seq, event in enumerate(events, start=1):
        state, messages = view.apply(state, event, seq)
        sent += messages
    return state, sent


def kinds(messages: list[view.Message]) -> list[tuple[str, str, int]]:
    return [(m.type, m.submission.status, m.seq) for m in messages]


def test_a_graded_submission_goes_pending_grading_then_its_verdict():
    story = Story()
    state, sent = run([story.created(), story.started(), story.graded("failed")])
    assert kinds(sent) == [
        ("submission.created", "pending", 1),
        ("submission.grading", "grading", 2),
        ("submission.graded", "failed", 3),
    ]
    assert state is not None
    assert state.view.code == story.code
    assert state.view.feedback == Feedback(message="attempt 1: failed")
    assert state.view.graded_at is not None and state.view.graded_at > state.view.created_at
    assert state.view.last_seq == 3


def test_a_reused_verdict_is_created_then_graded_at_once():
    story = Story()
    state, sent = run([story.created(reused="passed")])
    assert kinds(sent) == [("submission.created", "passed", 1), ("submission.graded", "passed", 1)]
    assert state is not None
    assert state.view.feedback == Feedback(message="reused")
    assert state.view.graded_at == state.view.created_at


def test_a_regrade_request_is_a_grading_message_with_status_pending_and_no_feedback():
    story = Story()
    state, sent = run(
        [story.created(), story.started(), story.graded("failed"), story.regrade(attempt=2)]
    )
    assert kinds(sent)[-1] == ("submission.grading", "pending", 4)
    assert state is not None
    assert state.view.feedback is None and state.view.graded_at is None
    assert state.attempt == 2


def test_a_late_result_of_an_older_attempt_is_ignored():
    story = Story()
    history = [story.created(), story.started(), story.regrade(attempt=2)]
    state, sent = run([*history, story.graded("failed", attempt=1)])
    assert len(sent) == 3
    assert state is not None and state.view.status == "pending"
    state, messages = view.apply(state, story.started(attempt=2), 5)
    state, more = view.apply(state, story.graded("passed", attempt=2), 6)
    assert kinds(messages + more) == [
        ("submission.grading", "grading", 5),
        ("submission.graded", "passed", 6),
    ]


def test_a_deleted_submission_says_so_once_and_then_stays_silent():
    story = Story()
    state, sent = run([story.created(), story.deleted(), story.started(), story.graded()])
    assert kinds(sent) == [
        ("submission.created", "pending", 1),
        ("submission.deleted", "pending", 2),
    ]
    assert state is not None and state.deleted


def test_events_without_a_creation_give_nothing():
    story = Story()
    assert run([story.started(), story.graded()]) == (None, [])


def test_a_second_creation_of_the_same_submission_changes_nothing():
    story = Story()
    first = story.created()
    state, _ = run([first])
    again, messages = view.apply(state, first, 2)
    assert messages == [] and again is not None and state is not None
    assert again.view == state.view


def test_the_json_message_has_the_documented_shape():
    story = Story()
    _, sent = run([story.created(), story.started(), story.graded("passed")])
    message = json.loads(view.to_json(sent[-1]))
    assert message["type"] == "submission.graded" and message["seq"] == 3
    assert message["submission"] == {
        "id": str(story.submission_id),
        "assignment_id": str(story.assignment_id),
        "code": story.code,
        "status": "passed",
        "feedback": {"message": "attempt 1: passed", "tests": [], "output": "", "load_error": None},
        "created_at": "2025-03-01T09:01:00Z",
        "graded_at": "2025-03-01T09:03:00Z",
        "last_seq": 3,
    }


def lifecycle(story: Story, steps: int, regrades: int) -> list[Event]:
    events: list[Event] = [story.created(), story.started(), story.graded("failed")][:steps]
    for attempt in range(2, regrades + 2):
        events += [story.regrade(attempt), story.started(attempt), story.graded("passed", attempt)]
    return events


@given(steps=st.integers(1, 3), regrades=st.integers(0, 3), deleted_at=st.integers(0, 12))
def test_every_event_gives_one_message_in_order_until_the_deletion(steps, regrades, deleted_at):
    story = Story()
    events = lifecycle(story, steps, regrades if steps == 3 else 0)
    final = ["pending", "grading", "passed" if len(events) > 3 else "failed"][steps - 1]
    cut = max(deleted_at, 1)
    deleted = cut < len(events)
    if deleted:
        events.insert(cut, story.deleted())
    state, sent = run(events)
    assert [m.seq for m in sent] == list(range(1, len(sent) + 1))
    assert all(m.submission.last_seq == m.seq for m in sent)
    assert state is not None and sent[-1].submission == state.view
    if deleted:
        assert len(sent) == cut + 1 and sent[-1].type == "submission.deleted"
    else:
        assert len(sent) == len(events) and state.view.status == final
