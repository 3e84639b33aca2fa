"""A job that keeps crashing its grader is set aside once, with an `error` the student can read."""

import asyncio
import time

import msgspec
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from common import nats as gnats
from events import Limits, SubmissionGraded, SubmissionGradingStarted, codec, integrity, subjects
from services.grader import dead_letter, worker
from services.grader.settings import Settings
from tests.integration.grader.graders import graders
from tests.integration.grader.helpers import (
    created,
    history,
    humaneval,
    publish_assignment,
    published,
    settled,
    subject_of,
    submit,
    types,
)
from tests.integration.grader.streams import dead_letters

GRADED_ONCE = ["SubmissionCreated", "SubmissionGradingStarted", "SubmissionGraded"]
SET_ASIDE = (
    "The grader crashed 3 times while grading this submission, so it was set aside for an "
    "operator to look at. Your code was not judged; submit again or ask for help."
)
SLOW = {
    "id": "slow",
    "title": "Slow",
    "handout": "Take your time.",
    "starter": "",
    "tests": "from solution import slow\n\n\ndef test_slow():\n    slow()\n",
    "test_style": "module:solution",
    "entry_point": "slow",
}
# sleeps for up to a minute, but not on after its grader was SIGKILLed
SLEEPER = """import os
import time


def slow():
    parent, deadline = os.getppid(), time.monotonic() + 60
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.05)
"""
WAIT_S = 30.0


def settings_for(servers) -> Settings:
    return Settings(nats_url=servers.nats_url, concurrency=1, grader_id="grader-a", ack_wait_s=0.5)


async def deliveries(js: JetStreamContext, settings: Settings, count: int) -> list[Msg]:
    """The first `count` deliveries of the one job, none acked: each comes back after ack_wait."""
    await worker.ensure_consumer(js, settings)
    sub = await js.pull_subscribe_bind(
        durable=subjects.GRADER_CONSUMER, stream=subjects.EVENTS_STREAM
    )
    got: list[Msg] = []
    while len(got) < count:
        got += await sub.fetch(1, timeout=10)
    await sub.unsubscribe()
    assert [m.metadata.num_delivered for m in got] == list(range(1, count + 1))
    return got


async def submitted(js: JetStreamContext):
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    job = created(assignment, humaneval(0)["solution"])
    await submit(js, job)
    return job


def assert_set_aside(events, *, grader_id: str) -> None:
    assert types(events) == GRADED_ONCE
    started, graded = events[1], events[2]
    assert isinstance(started, SubmissionGradingStarted) and started.grader_id == grader_id
    assert isinstance(graded, SubmissionGraded)
    assert (graded.attempt, graded.status, graded.feedback.message) == (1, "error", SET_ASIDE)


async def test_the_delivery_after_dead_after_sets_the_job_aside_instead_of_grading_it(
    js, servers, dead_stream, box
):
    job = await submitted(js)
    settings = settings_for(servers)
    *_, fourth = await deliveries(js, settings, 4)
    await worker.Worker(js, settings, box).handle_message(fourth)
    assert_set_aside(await history(js, subject_of(job)), grader_id="grader-a")
    [letter] = await dead_letters(js)
    assert letter.subject == f"grading.dead.{job.user_id}.{job.submission_id}"
    assert letter.data == fourth.data and codec.decode(letter.data, letter.headers) == job
    chain = (integrity.PREV_HEADER, integrity.HASH_HEADER)  # the event's own, copied with it
    ours = [k for k in letter.headers if k.startswith("Grindstone-") and k not in chain]
    assert {k: letter.headers[k] for k in ours} == {
        dead_letter.DELIVERED_HEADER: "4",
        dead_letter.GRADER_HEADER: "grader-a",
        dead_letter.ATTEMPT_HEADER: "1",
        dead_letter.SUBJECT_HEADER: subject_of(job),
        dead_letter.SEQUENCE_HEADER: str(fourth.metadata.sequence.stream),
    }
    assert letter.headers[codec.TYPE_HEADER] == "SubmissionCreated"


async def test_a_grader_that_dies_while_setting_a_job_aside_leaves_one_dead_letter(
    js, servers, dead_stream, box
):
    job = await submitted(js)
    settings = settings_for(servers)
    *_, fourth, fifth = await deliveries(js, settings, 5)
    ids = {"user_id": job.user_id, "submission_id": job.submission_id, "attempt": 1}
    # the grader holding the 4th delivery published the dead letter, then died
    where = (fourth.subject, fourth.metadata.sequence.stream)
    await dead_letter.publish(js, fourth, *where, grader_id="grader-z", **ids)
    await worker.Worker(js, settings, box).handle_message(fifth)
    assert_set_aside(await history(js, subject_of(job)), grader_id="grader-a")
    [letter] = await dead_letters(js)
    assert letter.headers[dead_letter.GRADER_HEADER] == "grader-z"


async def test_a_job_already_graded_is_acked_however_often_it_came_back(
    js, servers, dead_stream, box
):
    job = await submitted(js)
    settings = settings_for(servers)
    first, *_, fourth = await deliveries(js, settings, 4)
    grader = worker.Worker(js, settings, box)
    await grader.handle_message(first)
    await grader.handle_message(fourth)  # the first grading was done before its ack came in
    events = await history(js, subject_of(job))
    assert types(events) == GRADED_ONCE and events[-1].status == "passed"
    assert await dead_letters(js) == []


async def graded_by(js: JetStreamContext, subject: str, log: str, delivery: int) -> None:
    """Wait until the grader that writes `log` works on the job's `delivery`-th delivery."""
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if delivery == 1:
            last = await gnats.last_message(js, subject)
            if codec.wire_name(last.headers) == "SubmissionGradingStarted":
                return
        elif f"(delivery {delivery})" in log_of(log):
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"delivery {delivery} did not reach a grader within {WAIT_S:.0f} s")


def log_of(path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


async def test_a_submission_that_crashes_its_grader_each_time_is_set_aside_and_the_next_graded(
    js, service_env, tmp_path, dead_stream
):
    assignment = published(SLOW, Limits(wall_ms=60_000, cpu_ms=10_000))
    await publish_assignment(js, assignment)
    job = created(assignment, SLEEPER)
    await submit(js, job)
    async with graders(service_env, tmp_path, concurrency="1", ack_wait_s="2") as group:
        for delivery in (1, 2, 3):
            await group.start(0)
            await graded_by(js, subject_of(job), tmp_path / f"grader-0.{delivery}.log", delivery)
            await group.kill(0)
        await group.start(0)  # grader-0.4 gets the 4th delivery
        await settled(js)
        again = msgspec.structs.replace(
            created(assignment, "def slow():\n    pass\n"), user_id=job.user_id
        )
        await submit(js, again)
        await settled(js)
    assert_set_aside(await history(js, subject_of(job)), grader_id="grader-0.1")
    [letter] = await dead_letters(js)
    assert letter.subject == subjects.dead_letter(job.user_id, job.submission_id)
    assert letter.headers[dead_letter.DELIVERED_HEADER] == "4"
    assert letter.headers[dead_letter.GRADER_HEADER] == "grader-0.4"
    assert codec.decode(letter.data, letter.headers) == job
    assert f"set {subject_of(job)} aside after 4 deliveries" in group.log()
    events = await history(js, subject_of(again))
    assert types(events) == GRADED_ONCE and events[-1].status == "passed"
