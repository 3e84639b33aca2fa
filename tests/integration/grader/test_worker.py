"""The worker against the real NATS: each job graded exactly once, whatever happens around it."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import msgspec
import pytest
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NoKeysError

from common import nats as gnats
from common import regrade_queue, setaside
from events import (
    Feedback,
    Limits,
    ReusedVerdict,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    codec,
    subjects,
)
from services.grader import worker
from services.grader.settings import Settings
from tests.integration.grader.helpers import (
    created,
    history,
    humaneval,
    ids,
    publish_assignment,
    published,
    settled,
    subject_of,
    submit,
    types,
)

GRADED_ONCE = ["SubmissionCreated", "SubmissionGradingStarted", "SubmissionGraded"]


def settings_for(servers, **fields: object) -> Settings:
    defaults: dict[str, object] = {"concurrency": 2, "grader_id": "grader-a", "ack_wait_s": 30.0}
    return Settings(nats_url=servers.nats_url, **{**defaults, **fields})  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def grading(js: JetStreamContext, settings: Settings) -> AsyncIterator[None]:
    task = asyncio.create_task(worker.run(js, settings))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@pytest.fixture
async def assignment(js):
    event = published(humaneval(0))
    await publish_assignment(js, event)
    return event


async def graded(js, subject: str) -> SubmissionGraded:
    events = await history(js, subject)
    assert types(events) == GRADED_ONCE
    assert isinstance(events[-1], SubmissionGraded)
    return events[-1]


async def test_a_submission_is_started_then_graded_once_and_its_verdict_cached(
    js, servers, assignment
):
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    events = await history(js, subject_of(job))
    assert types(events) == GRADED_ONCE
    started, verdict = events[1], events[2]
    assert isinstance(started, SubmissionGradingStarted) and isinstance(verdict, SubmissionGraded)
    assert (started.attempt, started.grader_id, verdict.attempt) == (1, "grader-a", 1)
    assert (verdict.status, verdict.feedback.message) == ("passed", "The test passed.")
    bucket = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    entry = await bucket.get(subjects.verdict_key(assignment.content_sha256, job.code_sha256))
    assert msgspec.json.decode(entry.value) == {
        "submission_id": str(job.submission_id),
        "status": "passed",
        "feedback": msgspec.to_builtins(verdict.feedback),
    }


async def test_a_wrong_submission_fails_with_the_expected_and_actual_values(
    js, servers, assignment
):
    job = created(assignment, humaneval(0)["wrong_solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    verdict = await graded(js, subject_of(job))
    assert verdict.status == "failed"
    (test,) = verdict.feedback.tests
    assert (test.expected, test.actual) == ("True", "None")


async def test_a_redelivered_job_is_graded_once_one_after_the_other_or_at_once(
    js, servers, assignment, box
):
    settings = settings_for(servers, ack_wait_s=1.0)
    await worker.ensure_consumer(js, settings)
    sub = await js.pull_subscribe_bind(
        durable=subjects.GRADER_CONSUMER, stream=subjects.EVENTS_STREAM
    )
    first, second = (created(assignment, humaneval(0)["solution"]) for _ in range(2))
    await submit(js, first)
    await submit(js, second)
    deliveries: list[Msg] = []
    while len(deliveries) < 4:  # none is acked: each comes back once ack_wait has passed
        deliveries += await sub.fetch(1, timeout=10)
    await sub.unsubscribe()
    assert [m.metadata.num_delivered for m in deliveries] == [1, 1, 2, 2]
    msg_1a, msg_2a, msg_1b, msg_2b = deliveries
    grader = worker.Worker(js, settings, box)
    await grader.handle_message(msg_1a)
    await grader.handle_message(msg_1b)
    await asyncio.gather(grader.handle_message(msg_2a), grader.handle_message(msg_2b))
    assert types(await history(js, subject_of(first))) == GRADED_ONCE
    assert types(await history(js, subject_of(second))) == GRADED_ONCE


async def test_a_job_redelivered_after_the_duplicate_window_is_not_graded_again(
    js, servers, assignment, box
):
    await js.update_stream(replace(gnats.events_stream_config(), duplicate_window=0.1))
    settings = settings_for(servers, ack_wait_s=1.0)
    await worker.ensure_consumer(js, settings)
    sub = await js.pull_subscribe_bind(
        durable=subjects.GRADER_CONSUMER, stream=subjects.EVENTS_STREAM
    )
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    [delivery] = await sub.fetch(1, timeout=10)
    [redelivery] = await sub.fetch(1, timeout=10)
    await sub.unsubscribe()
    grader = worker.Worker(js, settings, box)
    await grader.handle_message(delivery)
    await asyncio.sleep(0.5)  # past the window: only the expected-sequence checks protect now
    await grader.handle_message(redelivery)
    assert types(await history(js, subject_of(job))) == GRADED_ONCE


async def test_two_workers_grade_each_submission_once(js, nc, servers, assignment):
    jobs = [created(assignment, humaneval(0)["solution"]) for _ in range(4)]
    for job in jobs:
        await submit(js, job)
    other = await gnats.connect(servers.nats_url, "grader-b")
    try:
        async with (
            grading(js, settings_for(servers)),
            grading(other.jetstream(), settings_for(servers, grader_id="grader-b")),
        ):
            await settled(js)
    finally:
        await other.close()
    for job in jobs:
        assert (await graded(js, subject_of(job))).status == "passed"


async def test_a_grading_left_by_a_crashed_grader_is_finished_once(js, servers, assignment):
    job = created(assignment, humaneval(0)["solution"])
    seq = await submit(js, job)
    crashed = SubmissionGradingStarted(
        occurred_at=datetime.now(UTC), attempt=1, grader_id="crashed", **ids(job)
    )
    # appended long ago: its Nats-Msg-Id is out of the duplicate window, no help to the worker
    msg_id = f"grading:{job.submission_id}:1:long-ago"
    await gnats.append(js, subject_of(job), crashed, msg_id=msg_id, expected_seq=seq)
    async with grading(js, settings_for(servers)):
        await settled(js)
    events = await history(js, subject_of(job))
    assert types(events) == GRADED_ONCE
    assert events[1] == crashed
    assert isinstance(events[2], SubmissionGraded) and events[2].status == "passed"


async def test_a_reused_verdict_is_not_graded_again(js, servers, assignment):
    reused = ReusedVerdict(
        from_submission_id=created(assignment, "").submission_id,
        status="passed",
        feedback=Feedback(message="The test passed."),
    )
    job = created(assignment, humaneval(0)["solution"], reused=reused)
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    assert types(await history(js, subject_of(job))) == ["SubmissionCreated"]


async def test_a_deleted_submission_is_not_graded(js, servers, assignment):
    job = created(assignment, humaneval(0)["solution"])
    seq = await submit(js, job)
    deleted = SubmissionDeleted(occurred_at=datetime.now(UTC), **ids(job))
    await gnats.append(js, subject_of(job), deleted, msg_id="delete", expected_seq=seq)
    async with grading(js, settings_for(servers)):
        await settled(js)
    assert types(await history(js, subject_of(job))) == ["SubmissionCreated", "SubmissionDeleted"]


SLOW = {
    "id": "slow",
    "title": "Slow",
    "handout": "Take your time.",
    "starter": "",
    "tests": "from solution import slow\n\n\ndef test_slow():\n    slow()\n",
    "test_style": "module:solution",
    "entry_point": "slow",
}


async def test_a_submission_deleted_while_it_is_graded_gets_no_verdict(js, servers):
    assignment = published(SLOW, Limits(wall_ms=20_000))
    await publish_assignment(js, assignment)
    job = created(assignment, "import time\n\n\ndef slow():\n    time.sleep(2)\n")
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        last = await gnats.last_message(js, subject_of(job))
        while codec.wire_name(last.headers) != "SubmissionGradingStarted":
            await asyncio.sleep(0.02)
            last = await gnats.last_message(js, subject_of(job))
        deleted = SubmissionDeleted(occurred_at=datetime.now(UTC), **ids(job))
        # the student's code sleeps for 2 s: the grading is still under way
        await gnats.append(js, subject_of(job), deleted, msg_id="delete", expected_seq=last.seq)
        await settled(js)
    assert types(await history(js, subject_of(job))) == [
        "SubmissionCreated", "SubmissionGradingStarted", "SubmissionDeleted",
    ]  # fmt: skip
    bucket = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    with pytest.raises(NoKeysError):
        await bucket.keys()


async def test_a_missing_assignment_is_an_error_that_is_not_cached(js, servers, assignment):
    orphan = created(published(humaneval(0)), humaneval(0)["solution"])
    await submit(js, orphan)
    async with grading(js, settings_for(servers)):
        await settled(js)
    verdict = await graded(js, subject_of(orphan))
    assert verdict.status == "error"
    assert str(orphan.assignment_id) in verdict.feedback.message
    assert "does not exist" in verdict.feedback.message
    bucket = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    with pytest.raises(NoKeysError):
        await bucket.keys()


async def test_a_regrade_request_is_graded_as_the_next_attempt(js, servers, assignment):
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
        last = await gnats.last_message(js, subject_of(job))
        regrade = SubmissionRegradeRequested(
            occurred_at=datetime.now(UTC), attempt=2, requested_by="operator", **ids(job)
        )
        seq = await gnats.append(
            js, subject_of(job), regrade, msg_id="regrade", expected_seq=last.seq
        )
        await regrade_queue.enqueue(js, regrade, subject_of(job), seq)
        await settled(js)
    events = await history(js, subject_of(job))
    assert types(events) == [
        *GRADED_ONCE, "SubmissionRegradeRequested", "SubmissionGradingStarted", "SubmissionGraded",
    ]  # fmt: skip
    assert [getattr(e, "attempt", None) for e in events[3:]] == [2, 2, 2]
    assert isinstance(events[-1], SubmissionGraded) and events[-1].status == "passed"


async def test_jobs_it_cannot_read_are_set_aside_and_the_next_one_is_graded(
    js, servers, assignment
):
    poisoned = created(assignment, humaneval(0)["solution"])
    data, headers = codec.encode(poisoned)
    poison = [
        (data, {**headers, codec.VERSION_HEADER: "99"}),
        (b'{"garbage": tru', headers),
        (b'{"code": 1}', headers),
        (b"{}", {**headers, codec.TYPE_HEADER: "SubmissionTeleported"}),
    ]
    bad = [(await js.publish(subject_of(poisoned), d, headers=h)).seq for d, h in poison]
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    assert (await graded(js, subject_of(job))).status == "passed"
    records = await setaside.records(js, "grader")
    assert [(r.seq, r.subject) for r in records] == [(seq, subject_of(poisoned)) for seq in bad]
    assert "v99 is newer than this code" in records[0].reason
    assert "unknown event type 'SubmissionTeleported'" in records[3].reason


async def test_a_regrade_of_a_submission_that_cannot_be_read_is_set_aside(js, servers, assignment):
    unreadable = created(assignment, humaneval(0)["solution"])
    headers = codec.encode(unreadable)[1]
    first = (await js.publish(subject_of(unreadable), b'{"garbage": tru', headers=headers)).seq
    regrade = SubmissionRegradeRequested(
        occurred_at=datetime.now(UTC), attempt=2, requested_by="operator", **ids(unreadable)
    )
    again = await gnats.append(js, subject_of(unreadable), regrade, msg_id="regrade")
    await regrade_queue.enqueue(js, regrade, subject_of(unreadable), again)
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    assert (await graded(js, subject_of(job))).status == "passed"
    records = await setaside.records(js, "grader")
    assert [(r.seq, r.subject) for r in records] == [
        (first, subject_of(unreadable)),
        (again, subject_of(unreadable)),
    ]
    assert records[1].event_type == "SubmissionRegradeRequested"
    assert "SubmissionCreated v1 is malformed" in records[1].reason
    last = await gnats.last_message(js, subject_of(unreadable))
    assert last.seq == again  # nothing appended for it


async def test_a_regrade_of_a_submission_never_created_is_set_aside(js, servers, assignment):
    stray = created(assignment, humaneval(0)["solution"])
    regrade = SubmissionRegradeRequested(
        occurred_at=datetime.now(UTC), attempt=2, requested_by="operator", **ids(stray)
    )
    seq = await gnats.append(js, subject_of(stray), regrade, msg_id="regrade")
    await regrade_queue.enqueue(js, regrade, subject_of(stray), seq)
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    assert (await graded(js, subject_of(job))).status == "passed"
    (record,) = await setaside.records(js, "grader")
    assert (record.seq, record.subject) == (seq, subject_of(stray))
    assert "does not start with a SubmissionCreated" in record.reason
    assert (await gnats.last_message(js, subject_of(stray))).seq == seq


def deletion(job, pending: bool = True) -> SubmissionDeleted:
    return SubmissionDeleted(occurred_at=datetime.now(UTC), pending=pending, **ids(job))


async def test_a_submission_deleted_before_grading_is_graded_all_the_same(js, servers, assignment):
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    await gnats.append(js, subject_of(job), deletion(job), msg_id="d")
    async with grading(js, settings_for(servers)):
        await settled(js)
    events = await history(js, subject_of(job))
    assert types(events) == [
        "SubmissionCreated",
        "SubmissionDeleted",
        "SubmissionGradingStarted",
        "SubmissionGraded",
    ]
    assert events[-1].deleted and events[-1].status == "passed"


async def test_a_submission_deleted_while_graded_gets_its_verdict_once(
    js, servers, assignment, monkeypatch
):
    gradings = []  # each real grading, by submission
    real_grade = worker.grading.grade

    async def counted(assignments, created, box, sha):
        gradings.append(created.submission_id)
        return await real_grade(assignments, created, box, sha)

    monkeypatch.setattr(worker.grading, "grade", counted)
    job = created(assignment, "import time\ntime.sleep(1)\n" + humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        for _ in range(1500):  # at most 30 s
            if types(await history(js, subject_of(job)))[-1] == "SubmissionGradingStarted":
                break
            await asyncio.sleep(0.02)
        await gnats.append(js, subject_of(job), deletion(job), msg_id="d")
        await settled(js)
    events = await history(js, subject_of(job))
    assert types(events) == [*GRADED_ONCE[:2], "SubmissionDeleted", "SubmissionGraded"]
    assert events[-1].deleted and events[-1].status == "passed"
    assert gradings == [job.submission_id]  # the verdict in hand, appended after the deletion


async def test_a_submission_deleted_after_its_verdict_is_not_graded_again(js, servers, assignment):
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
        await gnats.append(js, subject_of(job), deletion(job, pending=False), msg_id="d")
        await settled(js)
    assert types(await history(js, subject_of(job))) == [*GRADED_ONCE, "SubmissionDeleted"]


async def test_the_consumer_takes_the_ack_wait_of_the_graders_settings(js, servers):
    await worker.ensure_consumer(js, settings_for(servers, ack_wait_s=90.0))
    await worker.ensure_consumer(js, settings_for(servers, ack_wait_s=10.0))
    info = await js.consumer_info(subjects.EVENTS_STREAM, subjects.GRADER_CONSUMER)
    assert info.config.ack_wait == 10.0  # a folder made with the old default is brought along


async def test_an_unreadable_event_after_a_job_does_not_keep_it_from_being_graded(
    js, servers, assignment
):
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    _, headers = codec.encode(job)
    await js.publish(subject_of(job), b'{"garbage": tru', headers=headers)
    async with grading(js, settings_for(servers)):
        await settled(js)
    readable = []
    async for msg in gnats.subject_messages(js, subject_of(job)):
        with contextlib.suppress(codec.Unreadable):
            readable.append(codec.decode(msg.data or b"", msg.headers))
    assert types(readable) == GRADED_ONCE
    assert readable[-1].status == "passed"


async def test_an_unreadable_event_last_on_the_assignment_does_not_hide_it(js, servers, assignment):
    _, headers = codec.encode(assignment)
    await js.publish(subjects.assignment(assignment.assignment_id), b"{", headers=headers)
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    async with grading(js, settings_for(servers)):
        await settled(js)
    assert (await graded(js, subject_of(job))).status == "passed"
