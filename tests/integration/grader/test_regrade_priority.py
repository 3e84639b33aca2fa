"""Re-grades run at a lower priority than students' submissions, can be cancelled, and survive
a grader that dies in the middle of one (docs/design.md, "Re-grades at a lower priority")."""

import asyncio
import time

from nats.js.errors import NotFoundError

from common import nats as gnats
from common import regrade_queue
from events import (
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
)
from grindstone_cli.__main__ import parser
from tests.integration.grader.graders import graders
from tests.integration.grader.helpers import (
    created,
    history,
    humaneval,
    publish_assignment,
    published,
    regrades_queued,
    settled,
    subject_of,
    submit,
    types,
)
from tests.integration.grader.regraded import graded_submissions, request_regrades
from tests.integration.grader.test_worker import grading, settings_for

QUEUED = 2000
WAIT_S = 60.0
SLOW = "import time\ntime.sleep(3)\n"  # a solution that takes a while to grade


async def verdict_of(js, job, attempt: int = 1) -> SubmissionGraded:
    """Wait for the submission's Graded of this attempt."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        for event in await history(js, subject_of(job)):
            if isinstance(event, SubmissionGraded) and event.attempt == attempt:
                return event
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{job.submission_id} attempt {attempt} was not graded")


async def until(condition) -> None:
    deadline = time.monotonic() + WAIT_S
    while not await condition():
        assert time.monotonic() < deadline, "it did not happen"
        await asyncio.sleep(0.02)


async def regrade_started(js) -> bool:
    """Has a grader taken a re-grade job (not yet acked)?"""
    try:
        info = await js.consumer_info(regrade_queue.STREAM, regrade_queue.CONSUMER)
    except NotFoundError:  # the grader has not made it yet
        return False
    return info.num_ack_pending > 0


async def regrades_graded(js, jobs) -> int:
    count = 0
    for job in jobs:
        events = await history(js, subject_of(job))
        count += any(isinstance(e, SubmissionGraded) and e.attempt == 2 for e in events)
    return count


async def test_a_students_submission_is_graded_while_thousands_of_regrades_wait(js, servers):
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    solution = humaneval(0)["solution"]
    old = await graded_submissions(js, assignment, solution, QUEUED)
    assert await request_regrades(js, old) == QUEUED
    assert await regrades_queued(js) == QUEUED
    async with grading(js, settings_for(servers, concurrency=1)):
        # the only slot is busy with re-grades when the student submits
        await until(lambda: regrade_started(js))
        student = created(assignment, solution)
        await submit(js, student)
        assert (await verdict_of(js, student)).status == "passed"
        waiting = await regrades_queued(js)
    assert waiting > QUEUED // 2  # graded while most re-grades were still queued
    assert await regrades_graded(js, old[-100:]) == 0  # the newest re-grades: not yet


async def invoke(*argv: str) -> int:
    args = parser().parse_args(["regrade", *argv])
    return await args.run(args)


async def test_cancel_leaves_no_submission_pending_and_the_queue_empty(js, servers, capsys):
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    old = await graded_submissions(js, assignment, humaneval(0)["solution"], 30)
    assert await request_regrades(js, old) == 30

    assert await invoke("--cancel", "--nats-url", servers.nats_url) == 0

    out = capsys.readouterr().out
    assert "Regrades cancelled: 30, already being graded (left to finish): 0" in out
    assert await regrades_queued(js) == 0
    for job in old:
        events = await history(js, subject_of(job))
        assert types(events)[-2:] == ["SubmissionRegradeRequested", "SubmissionRegradeCancelled"]
        cancelled = events[-1]
        assert isinstance(cancelled, SubmissionRegradeCancelled)
        assert (cancelled.attempt, cancelled.status) == (2, "passed")  # the verdict before it
        assert cancelled.feedback == events[2].feedback
    async with grading(js, settings_for(servers)):
        await settled(js)  # a grader finds nothing to do: no job left, none pending
    assert {len(await history(js, subject_of(job))) for job in old} == {5}
    # a later re-grade is the next attempt
    assert await request_regrades(js, old[:1]) == 1
    last = await gnats.last_message(js, subject_of(old[0]))
    assert last.headers["Nats-Msg-Id"] == f"regrade:{old[0].submission_id}:3"


async def test_a_grader_killed_mid_regrade_leaves_it_to_another_graded_once(
    js, service_env, tmp_path
):
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    (job,) = await graded_submissions(js, assignment, SLOW + humaneval(0)["solution"], 1)
    assert await request_regrades(js, [job]) == 1
    async with graders(service_env, tmp_path, count=1, concurrency="1", ack_wait_s="2") as group:

        async def started() -> bool:
            events = await history(js, subject_of(job))
            return any(isinstance(e, SubmissionGradingStarted) and e.attempt == 2 for e in events)

        await until(started)
        await group.kill(0)  # mid grading: no nak, the job comes back after ack_wait
        await group.start(1)
        assert (await verdict_of(js, job, attempt=2)).status == "passed"
        await settled(js)
    events = await history(js, subject_of(job))
    assert types(events)[3:] == [
        "SubmissionRegradeRequested",
        "SubmissionGradingStarted",
        "SubmissionGraded",
    ]  # fmt: skip: one start, one verdict: the second grader finished the started attempt
    assert isinstance(events[3], SubmissionRegradeRequested)
    assert group.log().count(f"graded {job.submission_id} attempt 2:") == 1


async def test_cancel_while_a_grader_runs_regrades_ends_each_one_exactly_once(js, servers, capsys):
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    old = await graded_submissions(js, assignment, humaneval(0)["solution"], 300)
    assert await request_regrades(js, old) == 300
    async with grading(js, settings_for(servers, concurrency=2, student_slots=0)):
        await until(lambda: regrade_started(js))
        assert await invoke("--cancel", "--nats-url", servers.nats_url) == 0
        await settled(js)
    assert "Regrades cancelled: " in capsys.readouterr().out
    ends = []
    for job in old:
        tail = types(await history(js, subject_of(job)))[3:]
        assert tail in (
            ["SubmissionRegradeRequested", "SubmissionRegradeCancelled"],
            ["SubmissionRegradeRequested", "SubmissionGradingStarted", "SubmissionGraded"],
        )  # cancelled, or graded: never both, never left pending
        ends.append(tail[-1])
    assert "SubmissionRegradeCancelled" in ends  # a grader takes a few while 300 are cancelled
