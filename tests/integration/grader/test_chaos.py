"""Chaos: graders SIGKILLed at random while they grade; still exactly one verdict per attempt.

Three grader processes share the work queue with a short ack_wait, so what a killed grader
held comes back quickly. Two thousand submissions (and a few regrades) go through while a task
kills a random grader every 0.3-1.5 s and starts it again. Afterwards every submission's
history must be exactly Created, Started, Graded (+ RegradeRequested, Started, Graded per
regrade), and the projector's read model must agree with the last verdict of each.
"""

import asyncio
import os
import random
import sys
import time
from datetime import UTC, datetime
from uuid import UUID

import psycopg
import pytest
from nats.js import JetStreamContext

from common import regrades as regrade
from events import Event, SubmissionCreated, SubmissionGraded
from services.grader import dead_letter
from tests.integration.grader.graders import ROOT, Graders, graders
from tests.integration.grader.helpers import (
    created,
    humaneval,
    publish_assignment,
    published,
    settled,
    submit,
)
from tests.integration.grader.streams import dead_letters, last_seq, submission_histories

pytestmark = pytest.mark.chaos

SUBMISSIONS = 1000
GRADERS = 3
REGRADES = {0: 3, 1: 3, 2: 2, 3: 2, 4: 2, 5: 2}  # submission index -> its last attempt
KILL_EVERY_S = (0.3, 1.5)
DEADLINE_S = 240.0
SET_ASIDE = dead_letter.feedback(crashes=3).message


def code(i: int) -> str:
    """Distinct code per submission (no verdict cache hit); every fifth one is wrong."""
    record = humaneval(0)
    return record["wrong_solution" if i % 5 == 4 else "solution"] + f"\n# submission {i}\n"


def expected_status(i: int) -> str:
    return "failed" if i % 5 == 4 else "passed"


async def chaos(group: Graders, rng: random.Random) -> None:
    while True:
        await asyncio.sleep(rng.uniform(*KILL_EVERY_S))
        await group.restart(rng.randrange(GRADERS))


async def regrades(js: JetStreamContext, jobs: list[SubmissionCreated]) -> None:
    """Ask for each regrade of REGRADES once the attempt before it was graded."""
    deadline = time.monotonic() + DEADLINE_S
    for index, last_attempt in REGRADES.items():
        for attempt in range(2, last_attempt + 1):
            while time.monotonic() < deadline:
                latest = await regrade.latest_of(js, jobs[index].submission_id)
                if latest is not None and regrade.next_attempt(latest)[0] == attempt:
                    break
                await asyncio.sleep(0.1)
            else:
                raise TimeoutError(f"submission {index} was not graded before regrade {attempt}")
            assert await regrade.request(js, latest, datetime.now(UTC)) is None


async def all_graded(js: JetStreamContext, jobs: list[SubmissionCreated]) -> None:
    """Wait until every submission's last event is the Graded of its last attempt."""
    want = {job.submission_id: REGRADES.get(i, 1) for i, job in enumerate(jobs)}
    deadline, done = time.monotonic() + DEADLINE_S, set()
    while time.monotonic() < deadline:
        done = {
            latest.event.submission_id
            async for latest in regrade.every_latest(js)
            if isinstance(latest.event, SubmissionGraded)
            and latest.event.attempt == want[latest.event.submission_id]
        }
        if len(done) == len(jobs):
            return
        await asyncio.sleep(0.5)
    raise TimeoutError(f"{len(jobs) - len(done)} submissions still ungraded")


def canonical(last_attempt: int) -> list[tuple[str, int]]:
    history = [("SubmissionCreated", 1), ("SubmissionGradingStarted", 1), ("SubmissionGraded", 1)]
    for attempt in range(2, last_attempt + 1):
        history += [
            ("SubmissionRegradeRequested", attempt),
            ("SubmissionGradingStarted", attempt),
            ("SubmissionGraded", attempt),
        ]
    return history


def shape(events: list[Event]) -> list[tuple[str, int]]:
    return [(type(e).__name__, getattr(e, "attempt", 1)) for e in events]


async def projected(
    database_url: str, upto: int, projector: asyncio.subprocess.Process
) -> dict[UUID, tuple[str, int]]:
    """The read model once the projector has reached `upto`: submission -> (status, attempt)."""
    deadline = time.monotonic() + DEADLINE_S
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        while time.monotonic() < deadline and projector.returncode is None:
            cur = await conn.execute(
                "SELECT stream_seq FROM projection_checkpoint WHERE projection = 'submissions_v2'"
            )
            row = await cur.fetchone()
            if row is not None and row[0] >= upto:
                cur = await conn.execute(
                    "SELECT submission_id, status, attempt FROM submissions_v2"
                )
                return {sid: (status, attempt) for sid, status, attempt in await cur.fetchall()}
            await asyncio.sleep(0.2)
    raise TimeoutError(f"the projector did not reach {upto} (exit code {projector.returncode})")


async def test_every_attempt_is_graded_exactly_once_while_graders_are_killed(
    js, service_env, database_url, valkey, tmp_path, dead_stream
):
    seed = int.from_bytes(os.urandom(4))
    rng, began = random.Random(seed), time.monotonic()
    assignment = published(humaneval(0))
    await publish_assignment(js, assignment)
    jobs = [created(assignment, code(i)) for i in range(SUBMISSIONS)]
    with (tmp_path / "projector.log").open("wb") as projector_log:
        projector = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "services.projector"),
            cwd=ROOT,
            env=service_env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=projector_log,
        )
    try:
        async with graders(
            service_env, tmp_path, GRADERS, concurrency="2", ack_wait_s="2"
        ) as group:
            killer = asyncio.create_task(chaos(group, rng))
            for job in jobs:
                await submit(js, job)
            await regrades(js, jobs)
            await all_graded(js, jobs)
            killer.cancel()
            await asyncio.gather(killer, return_exceptions=True)
            await settled(js)
        read_model = await projected(database_url, await last_seq(js), projector)
    finally:
        projector.terminate()
        await projector.wait()
    histories = {h[0].submission_id: h for h in (await submission_histories(js)).values()}
    letters = await dead_letters(js)
    print(
        f"\nchaos (seed {seed}): {SUBMISSIONS} submissions and "
        f"{sum(REGRADES.values()) - len(REGRADES)} regrades graded, {group.kills} graders "
        f"killed, {group.log().count(' redelivered (delivery ')} redeliveries, "
        f"{len(letters)} set aside, {time.monotonic() - began:.1f} s"
    )
    assert_exactly_once(jobs, histories, read_model, letters)


def assert_exactly_once(jobs, histories, read_model, letters) -> None:
    """Canonical histories, verdicts as expected (or set aside), a read model that agrees."""
    assert len(histories) == len(read_model) == SUBMISSIONS
    set_aside = set()
    for i, job in enumerate(jobs):
        events = histories[job.submission_id]
        assert shape(events) == canonical(REGRADES.get(i, 1)), f"submission {i}"
        assert events[0] == job
        for verdict in events[2::3]:
            assert isinstance(verdict, SubmissionGraded)
            if verdict.status == "error" and verdict.feedback.message == SET_ASIDE:
                set_aside.add((str(job.submission_id), str(verdict.attempt)))
            else:
                assert verdict.status == expected_status(i), verdict.feedback.message
        assert read_model[job.submission_id] == (events[-1].status, events[-1].attempt)
    dead = [(m.subject.rsplit(".", 1)[1], m.headers[dead_letter.ATTEMPT_HEADER]) for m in letters]
    assert sorted(dead) == sorted(set_aside)
    # a job is set aside only when it was killed dead_after times in a row: rare, not the rule
    assert len(set_aside) <= SUBMISSIONS // 100
