"""Resuming with `?after=<seq>`: exactly the missed events, then the live ones."""

import asyncio
from uuid import uuid4

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import Event, SubmissionCreated, SubmissionDeleted, SubmissionGraded
from tests.integration.push.conftest import append, receive, student_socket
from tests.unit.push.builders import Story


def summary(message: dict) -> tuple[str, str, int]:
    return message["type"], message["submission"]["id"], message["seq"]


async def receive_until(ws, seq: int) -> list[tuple[str, str, int]]:
    """Every message up to and including the last one of stream sequence `seq`."""
    got = [summary(await receive(ws))]
    while got[-1][2] != seq:
        got.append(summary(await receive(ws)))
    return got


async def test_reconnecting_with_after_gets_exactly_the_missed_events_then_live_ones(push, js):
    story, other = Story(), Story()
    async with student_socket(push, story.user_id) as ws:
        first = await append(js, story.subject, story.created())
        assert (await receive(ws))["seq"] == first
    missed = [
        await append(js, story.subject, story.started()),
        await append(js, other.subject, other.created()),
        await append(js, story.subject, story.graded("passed")),
    ]
    async with student_socket(push, story.user_id, after=first) as ws:
        replayed = [await receive(ws), await receive(ws)]
        live = await append(js, story.subject, story.deleted())
        after_replay = await receive(ws)
    s = str(story.submission_id)
    assert [summary(m) for m in replayed] == [
        ("submission.grading", s, missed[0]),
        ("submission.graded", s, missed[2]),
    ]
    assert replayed[1]["submission"]["code"] == story.code
    assert summary(after_replay) == ("submission.deleted", s, live)


async def test_after_zero_replays_the_whole_history_including_a_reused_verdict(push, js):
    story = Story()
    seqs = [await append(js, story.subject, e) for e in (story.created(), story.started())]
    reused = Story(user_id=story.user_id)
    seqs.append(await append(js, reused.subject, reused.created(reused="failed")))
    async with student_socket(push, story.user_id, after=0) as ws:
        got = await receive_until(ws, seqs[-1])
        more = await receive_until(ws, seqs[-1])
    s, r = str(story.submission_id), str(reused.submission_id)
    assert got == [
        ("submission.created", s, seqs[0]),
        ("submission.grading", s, seqs[1]),
        ("submission.created", r, seqs[2]),
    ]
    assert more == [("submission.graded", r, seqs[2])]


async def test_an_after_beyond_the_stream_gives_only_live_events(push, js):
    story = Story()
    await append(js, story.subject, story.created())
    async with student_socket(push, story.user_id, after=10**9) as ws:
        await append(js, story.subject, story.started())
        assert (await receive(ws))["type"] == "submission.grading"


def expected_messages(event: Event, seq: int) -> list[tuple[str, str, int]]:
    """What a client must get for one event, derived without the service's own fold."""
    s = str(event.submission_id)  # type: ignore[attr-defined]
    match event:
        case SubmissionCreated(reused=None):
            return [("submission.created", s, seq)]
        case SubmissionCreated():
            return [("submission.created", s, seq), ("submission.graded", s, seq)]
        case SubmissionGraded():
            return [("submission.graded", s, seq)]
        case SubmissionDeleted():
            return [("submission.deleted", s, seq)]
    return [("submission.grading", s, seq)]


def lives(story: Story, plan: str) -> list[Event]:
    match plan:
        case "reused":
            return [story.created(reused="passed")]
        case "graded":
            return [story.created(), story.started(), story.graded("failed")]
    return [story.created(), story.started(), story.graded("passed"), story.deleted()]


async def append_all(js, events: list[tuple[Story, Event]]) -> list[int]:
    return [await append(js, story.subject, event) for story, event in events]


plans = st.lists(st.sampled_from(["reused", "graded", "deleted"]), min_size=1, max_size=10)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(plans=plans, noise=st.lists(st.booleans(), min_size=40, max_size=40), data=st.data())
async def test_resuming_while_events_keep_coming_misses_nothing_and_repeats_nothing(
    push, js, plans, noise, data
):
    user, other = uuid4(), Story()
    events: list[tuple[Story, Event]] = []
    for plan in plans:
        story = Story(user_id=user)
        events += [(story, event) for event in lives(story, plan)]
    mixed: list[tuple[Story, Event]] = []
    for i, item in enumerate(events):
        mixed.append(item)
        if noise[i % len(noise)]:
            mixed.append((other, other.created()))
    split = data.draw(st.integers(0, len(mixed)), label="appended before connecting")
    seqs = await append_all(js, mixed[:split])
    after = data.draw(st.sampled_from([0, *seqs]), label="after")
    async with asyncio.TaskGroup() as tg:
        later = tg.create_task(append_all(js, mixed[split:]))
        async with student_socket(push, user, after=after) as ws:
            await later
            marker = Story(user_id=user)
            end = await append(js, marker.subject, marker.created())
            got = await receive_until(ws, end)
    stored = zip(seqs + later.result(), mixed, strict=True)
    expected = [
        message
        for seq, (story, event) in stored
        if story.user_id == user and seq > after
        for message in expected_messages(event, seq)
    ]
    assert got == [*expected, ("submission.created", str(marker.submission_id), end)]
