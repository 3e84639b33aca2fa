"""`python -m services.grader` as a process: it grades, and stops cleanly on SIGTERM."""

import asyncio
import signal
import sys
from pathlib import Path

from events import SubmissionGraded
from tests.integration.grader.helpers import (
    created,
    history,
    kattis,
    publish_assignment,
    published,
    settled,
    subject_of,
    submit,
    types,
)

ROOT = Path(__file__).resolve().parents[3]


async def test_the_grader_process_grades_a_stdio_submission_and_stops_on_sigterm(js, service_env):
    assignment = published(kattis("hello"))
    await publish_assignment(js, assignment)
    job = created(assignment, kattis("hello")["solution"])
    await submit(js, job)
    env = {**service_env, "GRADER_CONCURRENCY": "1", "GRADER_GRADER_ID": "process-1"}
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "services.grader"),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,  # a few log lines: the pipe holds them
    )
    try:
        await settled(js)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, log = await asyncio.wait_for(proc.communicate(), 30)
    events = await history(js, subject_of(job))
    assert types(events)[1:] == ["SubmissionGradingStarted", "SubmissionGraded"]
    assert isinstance(events[-1], SubmissionGraded) and events[-1].status == "passed"
    assert proc.returncode == 0, log.decode()
