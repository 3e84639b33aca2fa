"""`grindstone regrade` with three grader processes: each regrade is graded once, by one grader."""

import asyncio
import os
import sys

from events import SubmissionGradingStarted
from grindstone_cli.regrade import against
from tests.integration.grader.graders import ROOT, graders
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

SUBMISSIONS = 6
AGAINST = against(None)[0]  # the version each submission was made against


async def grindstone(nats_url: str, *argv: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "grindstone_cli", *argv),
        cwd=ROOT,
        env={**os.environ, "NATS_URL": nats_url, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


async def test_a_regrade_is_graded_once_as_attempt_2_by_one_of_three_graders(
    js, service_env, tmp_path
):
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    solution = humaneval(0)["solution"]
    jobs = [created(assignment, f"{solution}\n# submission {i}\n") for i in range(SUBMISSIONS)]
    for job in jobs:
        await submit(js, job)
    async with graders(service_env, tmp_path, count=3, concurrency="1") as group:
        await settled(js)
        code, out, err = await grindstone(
            service_env["NATS_URL"], "regrade", "--assignment", str(assignment.assignment_id)
        )
        assert (code, out.splitlines()) == (
            0,
            [
                AGAINST,
                f"Regrades requested: {SUBMISSIONS}, skipped: 0",
                f"Re-grades ended: passed {SUBMISSIONS}",  # it followed them to their verdicts
            ],
        ), err
        assert f"{SUBMISSIONS}/{SUBMISSIONS}" in err  # its progress bar
        await settled(js)
    log = group.log()
    for job in jobs:
        events = await history(js, subject_of(job))
        assert types(events) == [
            "SubmissionCreated", "SubmissionGradingStarted", "SubmissionGraded",
            "SubmissionRegradeRequested", "SubmissionGradingStarted", "SubmissionGraded",
        ]  # fmt: skip
        assert [getattr(e, "attempt", 1) for e in events] == [1, 1, 1, 2, 2, 2]
        assert events[-1].status == "passed"
        started = events[4]
        assert isinstance(started, SubmissionGradingStarted)
        assert started.grader_id in {f"grader-{slot}.{slot + 1}" for slot in range(3)}
        # one grader graded it; the other two never even started on it
        assert log.count(f"graded {job.submission_id} attempt 2:") == 1
