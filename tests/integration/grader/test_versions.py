"""Each submission is graded against the assignment version it names, a regrade against the one
it names (the submission's, or with `regrade --latest` the latest), with the real NATS."""

from uuid import UUID

import msgspec
import pytest
from nats.js import JetStreamContext
from nats.js.errors import NoKeysError

from common import nats as gnats
from events import AssignmentPublished, SubmissionCreated, SubmissionGraded, subjects
from grindstone_cli.__main__ import parser
from services.grader import grading
from tests.integration.grader.helpers import (
    created,
    history,
    publish_assignment,
    published,
    settled,
    sha256,
    subject_of,
    submit,
)
from tests.integration.grader.test_worker import grading as graders_running
from tests.integration.grader.test_worker import settings_for

V1_TESTS = "from solution import add\n\n\ndef test_add():\n    assert add(2, 2) == 4\n"
V2_TESTS = V1_TESTS + "\n\ndef test_add_negative():\n    assert add(-1, 1) == 0\n"
CODE = "def add(a, b):\n    return abs(a) + abs(b)\n"  # right by v1's tests, wrong by v2's
ADD = {
    "id": "add",
    "title": "Add",
    "handout": "Add two numbers.",
    "starter": "",
    "tests": V1_TESTS,
    "test_style": "module:solution",
    "entry_point": "add",
}


@pytest.fixture
def v1() -> AssignmentPublished:
    return published(ADD)


@pytest.fixture
def v2(v1: AssignmentPublished) -> AssignmentPublished:
    """The same assignment after its teacher added a test."""
    return msgspec.structs.replace(v1, tests=V2_TESTS, content_sha256=sha256(V2_TESTS))


async def verdicts(js: JetStreamContext, job: SubmissionCreated) -> list[tuple[int, str, str]]:
    """(attempt, status, assignment version) of each Graded of the job, in order."""
    events = await history(js, subject_of(job))
    graded = [e for e in events if isinstance(e, SubmissionGraded)]
    return [(e.attempt, e.status, e.assignment_sha256 or "") for e in graded]


async def regrade(servers, job: SubmissionCreated, *options: str) -> None:
    args = parser().parse_args(
        [
            "regrade",
            "--submission",
            str(job.submission_id),
            *options,
            "--nats-url",
            servers.nats_url,
        ]
    )
    assert await args.run(args) == 0


async def cached(js: JetStreamContext, sha: str, job: SubmissionCreated) -> str:
    bucket = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    entry = await bucket.get(subjects.verdict_key(sha, job.code_sha256))
    return str(msgspec.json.decode(entry.value or b"")["status"])


async def test_a_submission_and_its_regrade_are_graded_against_the_version_the_student_saw(
    js, servers, v1, v2
):
    await publish_assignment(js, v1)
    job = created(v1, CODE)
    await submit(js, job)
    await publish_assignment(js, v2)  # the teacher changes the tests before the grading
    async with graders_running(js, settings_for(servers)):
        await settled(js)
        await regrade(servers, job)
        await settled(js)
        await regrade(servers, job, "--latest")
        await settled(js)
    assert await verdicts(js, job) == [
        (1, "passed", v1.content_sha256),
        (2, "passed", v1.content_sha256),
        (3, "failed", v2.content_sha256),
    ]
    assert await cached(js, v1.content_sha256, job) == "passed"
    assert await cached(js, v2.content_sha256, job) == "failed"


async def test_a_version_the_stream_does_not_have_is_graded_against_the_latest_and_said_so(
    js, servers, v1, v2
):
    await publish_assignment(js, v2)
    job = created(v1, CODE)  # made against a version this stream never held
    await submit(js, job)
    async with graders_running(js, settings_for(servers)):
        await settled(js)
    assert await verdicts(js, job) == [(1, "failed", v2.content_sha256)]
    graded = (await history(js, subject_of(job)))[-1]
    assert isinstance(graded, SubmissionGraded)
    assert graded.feedback.message.endswith(grading.NOT_FOUND)
    bucket = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
    with pytest.raises(NoKeysError):  # its feedback is about this submission only
        await bucket.keys()


async def test_a_version_once_found_is_kept_by_the_grader_process(js, v1, v2):
    assignments = grading.Assignments(js, keep=1)
    for version in (v1, v2):
        await publish_assignment(js, version)

    async def tests_of(version: AssignmentPublished) -> str:
        found = await assignments.version(v1.assignment_id, version.content_sha256)
        assert found is not None
        return found.tests

    assert await tests_of(v1) == V1_TESTS
    await js.delete_msg(subjects.EVENTS_STREAM, await first_publish(js, v1.assignment_id))
    assert await tests_of(v1) == V1_TESTS  # kept: the stream is not read again
    assert await tests_of(v2) == V2_TESTS  # keeps one: v1 goes
    assert await tests_of(v1) == V2_TESTS  # gone from the stream too: the latest instead


async def first_publish(js: JetStreamContext, assignment_id: UUID) -> int:
    subject = subjects.assignment(assignment_id)
    async for msg in gnats.subject_messages(js, subject):
        return int(msg.seq or 0)
    raise LookupError(subject)
