"""`grindstone regrade` against a real NATS JetStream (no grader: the events are written here)."""

from datetime import UTC, datetime
from uuid import uuid4

import msgspec
import pytest
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from common import nats as gnats
from common import regrade_queue
from events import (
    Feedback,
    ReusedVerdict,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    codec,
)
from grindstone_cli.__main__ import parser
from grindstone_cli.regrade import against
from tests.integration.grader.helpers import (
    created,
    history,
    humaneval,
    ids,
    publish_assignment,
    published,
    sha256,
    subject_of,
    submit,
)

NOW = datetime.now(UTC)
AGAINST = against(None)[0]  # the version each submission was made against


async def invoke(*argv: str) -> int:
    args = parser().parse_args(["regrade", *argv, "--no-wait"])
    return await args.run(args)


class Submissions:
    """Submissions of one assignment, written event by event as a grader would."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.assignment = published(humaneval(0))

    async def new(self, **fields) -> SubmissionCreated:
        job = created(self.assignment, humaneval(0)["solution"], **fields)
        await submit(self.js, job)
        return job

    async def then(self, job: SubmissionCreated, event, what: str) -> None:
        last = await gnats.last_message(self.js, subject_of(job))
        msg_id = f"{what}:{job.submission_id}"
        await gnats.append(self.js, subject_of(job), event, msg_id=msg_id, expected_seq=last.seq)

    async def graded(self, attempts: int = 1) -> SubmissionCreated:
        job = await self.new()
        for attempt in range(1, attempts + 1):
            if attempt > 1:
                await self.then(job, regrade(job, attempt), f"regrade:{attempt}")
            await self.then(job, started(job, attempt), f"grading:{attempt}")
            await self.then(job, graded(job, attempt), f"graded:{attempt}")
        return job


def started(job: SubmissionCreated, attempt: int) -> SubmissionGradingStarted:
    return SubmissionGradingStarted(occurred_at=NOW, attempt=attempt, grader_id="g", **ids(job))


def graded(job: SubmissionCreated, attempt: int) -> SubmissionGraded:
    return SubmissionGraded(
        occurred_at=NOW,
        attempt=attempt,
        status="passed",
        feedback=Feedback(message="The test passed."),
        **ids(job),
    )


def regrade(job: SubmissionCreated, attempt: int) -> SubmissionRegradeRequested:
    return SubmissionRegradeRequested(
        occurred_at=NOW, attempt=attempt, requested_by="operator", **ids(job)
    )


@pytest.fixture
async def submissions(js) -> Submissions:
    made = Submissions(js)
    await publish_assignment(js, made.assignment)
    return made


@pytest.fixture
def nats_url(servers) -> str:
    return servers.nats_url


async def requested(js: JetStreamContext, job: SubmissionCreated) -> list[int]:
    """The attempts of the regrades requested for `job` by the command, in order."""
    events = await history(js, subject_of(job))
    return [e.attempt for e in events if isinstance(e, SubmissionRegradeRequested)]


def test_help_lists_the_three_ways_to_choose(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        parser().parse_args(["regrade", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert all(option in out for option in ("--submission", "--assignment", "--all", "--latest"))


async def test_graded_submissions_get_the_next_attempt_and_the_others_a_note(
    js, nats_url, submissions, capsys
) -> None:
    once, twice = await submissions.graded(), await submissions.graded(attempts=2)
    pending, grading, deleted = [await submissions.new() for _ in range(3)]
    await submissions.then(grading, started(grading, 1), "grading:1")
    await submissions.then(deleted, SubmissionDeleted(occurred_at=NOW, **ids(deleted)), "del")
    reused = await submissions.new(
        reused=ReusedVerdict(
            from_submission_id=once.submission_id,
            status="passed",
            feedback=Feedback(message="The test passed."),
        )
    )
    missing = uuid4()
    chosen = [once, twice, pending, grading, deleted, reused]
    argv = [arg for job in chosen for arg in ("--submission", str(job.submission_id))]
    assert await invoke(*argv, "--submission", str(missing), "--nats-url", nats_url) == 0
    assert [await requested(js, job) for job in chosen] == [[2], [2, 3], [], [], [], [2]]
    out = capsys.readouterr().out.splitlines()
    assert out == [
        AGAINST,
        f"skipped {pending.submission_id}: still waiting to be graded",
        f"skipped {grading.submission_id}: still being graded",
        f"skipped {deleted.submission_id}: deleted",
        f"skipped {missing}: no such submission",
        "Regrades requested: 3, skipped: 4",
    ]
    last = await gnats.last_message(js, subject_of(twice))
    assert last.headers["Nats-Msg-Id"] == f"regrade:{twice.submission_id}:3"
    event = (await history(js, subject_of(twice)))[-1]
    assert (event.attempt, event.requested_by, event.assignment_sha256) == (3, "operator", None)


async def test_running_it_twice_requests_each_regrade_once(
    js, nats_url, submissions, capsys
) -> None:
    job = await submissions.graded()
    for _ in range(2):
        assert await invoke("--submission", str(job.submission_id), "--nats-url", nats_url) == 0
    assert await requested(js, job) == [2]
    assert capsys.readouterr().out.splitlines()[-1] == "Regrades requested: 0, skipped: 1"


async def test_an_assignment_or_all_choose_every_submission_not_deleted(
    js, nats_url, submissions, capsys
) -> None:
    mine = [await submissions.graded(), await submissions.graded(attempts=2)]
    gone = await submissions.graded()
    await submissions.then(gone, SubmissionDeleted(occurred_at=NOW, **ids(gone)), "del")
    other = Submissions(js)
    await publish_assignment(js, other.assignment)
    theirs = await other.graded()
    assignment = str(submissions.assignment.assignment_id)
    assert await invoke("--assignment", assignment, "--nats-url", nats_url) == 0
    assert [await requested(js, job) for job in (*mine, gone, theirs)] == [[2], [2, 3], [], []]
    assert await invoke("--all", "--nats-url", nats_url) == 0
    assert await requested(js, theirs) == [2]
    assert capsys.readouterr().out.splitlines() == [
        AGAINST,
        "Regrades requested: 2, skipped: 0",
        AGAINST,
        f"skipped {mine[0].submission_id}: still waiting to be graded",
        f"skipped {mine[1].submission_id}: still waiting to be graded",
        "Regrades requested: 1, skipped: 2",
    ]


async def test_nothing_to_regrade_is_not_an_error(js, nats_url, capsys) -> None:
    assert await invoke("--all", "--nats-url", nats_url) == 0
    assert capsys.readouterr().out == f"{AGAINST}\nRegrades requested: 0, skipped: 0\n"


async def test_many_submissions_show_a_progress_bar_on_stderr(
    js, nats_url, submissions, capsys
) -> None:
    for _ in range(25):
        await submissions.graded()
    assert await invoke("--all", "--nats-url", nats_url) == 0
    out, err = capsys.readouterr()
    assert out == f"{AGAINST}\nRegrades requested: 25, skipped: 0\n"
    assert "25/25" in err


async def test_latest_names_each_assignments_latest_version_in_the_request(
    js, nats_url, submissions, capsys
) -> None:
    old = await submissions.graded()
    tests = submissions.assignment.tests + "\n\ndef test_more():\n    assert True\n"
    newer = msgspec.structs.replace(
        submissions.assignment, tests=tests, content_sha256=sha256(tests)
    )
    await publish_assignment(js, newer)
    assert old.assignment_sha256 != newer.content_sha256
    assert await invoke("--latest", "--all", "--nats-url", nats_url) == 0
    event = (await history(js, subject_of(old)))[-1]
    assert isinstance(event, SubmissionRegradeRequested)
    assert (event.attempt, event.assignment_sha256) == (2, newer.content_sha256)
    assert capsys.readouterr().out.splitlines() == [
        "Grading against: each assignment's latest version",
        f"  assignment {newer.assignment_id}: {newer.content_sha256}",
        "Regrades requested: 1, skipped: 0",
    ]


async def test_each_request_queues_its_job_and_a_missing_job_is_queued_again(
    js, nats_url, submissions, capsys
) -> None:
    queued = await submissions.graded()
    assert await invoke("--submission", str(queued.submission_id), "--nats-url", nats_url) == 0
    [job] = await jobs(js)
    assert regrade_queue.located(job.headers) == (
        subject_of(queued),
        (await gnats.last_message(js, subject_of(queued))).seq,
    )
    assert codec.decode(job.data, job.headers) == (await history(js, subject_of(queued)))[-1]
    # a requester that died between its request and the job: the request without its job
    orphan = await submissions.graded()
    await submissions.then(orphan, regrade(orphan, 2), "regrade:2")
    assert await invoke("--submission", str(orphan.submission_id), "--nats-url", nats_url) == 0
    assert await requested(js, orphan) == [2]  # not requested again: its job queued
    assert {regrade_queue.located(j.headers)[0] for j in await jobs(js)} == {
        subject_of(queued),
        subject_of(orphan),
    }
    assert capsys.readouterr().out.splitlines()[-1] == "Regrades requested: 0, skipped: 1"


async def jobs(js: JetStreamContext) -> list:
    """The jobs on the REGRADES queue, oldest first."""
    found, seq = [], 1
    while True:
        try:
            msg = await js.get_msg(regrade_queue.STREAM, seq=seq, subject=">", next=True)
        except NotFoundError:
            return found
        found.append(msg)
        seq = msg.seq + 1
