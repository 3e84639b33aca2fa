"""Ungraded runs through the real grader: each run is started and finished once, never touches
a submission, and waits for the students' submissions queued before it."""

import asyncio
import time
from datetime import UTC, datetime
from uuid import uuid4

from common import nats as gnats
from common import setaside
from events import (
    AssignmentPublished,
    RunFinished,
    RunRequested,
    RunStarted,
    SubmissionGradingStarted,
    codec,
    subjects,
)
from services.grader import runs
from tests import poison
from tests.integration.grader.graders import graders
from tests.integration.grader.helpers import (
    created,
    history,
    humaneval,
    kattis,
    publish_assignment,
    published,
    submit,
    types,
)
from tests.integration.grader.test_worker import grading, settings_for

WAIT_S = 60.0


def requested(assignment: AssignmentPublished, code: str, **fields) -> RunRequested:
    return RunRequested(
        occurred_at=datetime.now(UTC),
        run_id=uuid4(),
        user_id=uuid4(),
        assignment_id=assignment.assignment_id,
        assignment_sha256=assignment.content_sha256,
        code=code,
        **fields,
    )


def run_subject(event: RunRequested) -> str:
    return subjects.run(event.user_id, event.run_id)


async def request(js, event: RunRequested) -> int:
    subject = run_subject(event)
    return await gnats.append(js, subject, event, msg_id=f"run:{event.run_id}", expected_seq=0)


async def finished(js, event: RunRequested) -> RunFinished:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        events = await history(js, run_subject(event))
        if isinstance(events[-1], RunFinished):
            assert types(events) == ["RunRequested", "RunStarted", "RunFinished"]
            return events[-1]
        await asyncio.sleep(0.02)
    raise TimeoutError(f"run {event.run_id} did not finish")


async def test_a_program_run_with_stdin_and_a_call_run_finish_once(js, servers):
    program = published(kattis("hello"))
    function = published(humaneval(0))
    for assignment in (program, function):
        await publish_assignment(js, assignment)
    typed = requested(program, "print('Hi', input())\n", stdin="Ada\n")
    called = requested(function, "def f(x):\n    return [x] * 2\n", call="f('a')")
    for event in (typed, called):
        await request(js, event)
    async with grading(js, settings_for(servers)):
        out = (await finished(js, typed)).output
        assert (out.stdout, out.value, out.error, out.limit) == ("Hi Ada\n", None, None, None)
        out = (await finished(js, called)).output
        assert out.value == "['a', 'a']" and out.time_ms >= 0
    # never a submission: nothing was appended under events.submission.
    assert await gnats.last_message(js, subjects.SUBMISSIONS_FILTER) is None


async def test_an_error_carries_the_students_line(js, servers):
    function = published(humaneval(0))
    await publish_assignment(js, function)
    event = requested(function, "def f(x):\n    return 1 // x\n", call="f(0)")
    await request(js, event)
    async with grading(js, settings_for(servers)):
        error = (await finished(js, event)).output.error
    assert error is not None and error.error.startswith("ZeroDivisionError")
    assert (error.line, error.source_line) == (2, "return 1 // x")


async def test_runs_wait_for_the_submissions_queued_before_them(js, servers):
    """With one slot: a run requested between submissions starts after all of them."""
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    slow = "import time\ntime.sleep(0.3)\n"
    first = created(assignment, slow)
    await submit(js, first)
    run = requested(assignment, "print('run')\n")
    await request(js, run)
    later = [created(assignment, slow) for _ in range(3)]
    for event in later:
        await submit(js, event)
    async with grading(js, settings_for(servers, concurrency=1)):
        await finished(js, run)
    started: dict[str, int] = {}
    async for raw in gnats.subject_messages(js, "events.>"):
        event = codec.decode(raw.data or b"", raw.headers)
        if isinstance(event, SubmissionGradingStarted):
            started[str(event.submission_id)] = int(raw.seq or 0)
        elif isinstance(event, RunStarted):
            started["run"] = int(raw.seq or 0)
    assert len(started) == 5
    assert started["run"] == max(started.values()), started


async def test_a_run_a_dead_grader_started_is_finished_once(js, servers):
    assignment = published(kattis("hello"))
    await publish_assignment(js, assignment)
    event = requested(assignment, "print('again')\n")
    seq = await request(js, event)
    dead = RunStarted(
        occurred_at=datetime.now(UTC), run_id=event.run_id, user_id=event.user_id, grader_id="gone"
    )
    await gnats.append(js, run_subject(event), dead, msg_id="dead", expected_seq=seq)
    async with grading(js, settings_for(servers)):
        assert (await finished(js, event)).output.stdout == "again\n"


async def test_an_unreadable_run_event_is_set_aside_and_runs_go_on(js, servers):
    assignment = published(kattis("hello"))
    await publish_assignment(js, assignment)
    bad = requested(assignment, "print(1)\n")
    poisoned = [seq for seq, _ in await poison.publish(js, run_subject(bad), bad)]
    event = requested(assignment, "print('still')\n")
    await request(js, event)
    async with grading(js, settings_for(servers)):
        assert (await finished(js, event)).output.stdout == "still\n"
        deadline = time.monotonic() + WAIT_S
        while len(await setaside.records(js, runs.CONSUMER)) < len(poisoned):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
    assert [r.seq for r in await setaside.records(js, runs.CONSUMER)] == poisoned


async def test_a_grader_killed_mid_run_leaves_it_to_another_which_finishes_it_once(
    js, service_env, tmp_path
):
    assignment = published(kattis("hello"))
    await publish_assignment(js, assignment)
    event = requested(assignment, "import time\nprint('slow', flush=True)\ntime.sleep(1.5)\n")
    await request(js, event)
    async with graders(service_env, tmp_path, 1, ack_wait_s="2") as group:
        deadline = time.monotonic() + WAIT_S
        while "RunStarted" not in types(await history(js, run_subject(event))):
            assert time.monotonic() < deadline, group.log()
            await asyncio.sleep(0.01)
        await group.kill(0)  # SIGKILL in the middle of the run
        await group.start(1)
        out = (await finished(js, event)).output
    assert (out.stdout, out.error, out.limit) == ("slow\n", None, None)
