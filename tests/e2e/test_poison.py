"""Events no consumer can read, published straight to the stream while students keep
submitting and listening: every student hears every verdict, no service process exits, and
`grindstone set-aside` lists each bad event once per consumer that met it."""

import asyncio
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from uuid import UUID, uuid4

import httpx
import nats

from common import auth
from events import SubmissionGradingStarted, subjects
from grindstone_cli import processes
from tests import poison
from tests.e2e import students as load

STUDENTS = 4
ROUNDS = 3
PACE_S = 0.05  # between two bad events
PATIENCE_S = 60.0  # for the consumers to reach the last bad event
MIN_BAD = 3 * len(poison.KINDS)  # published at least, however soon the students are done
CONSUMERS = ("projector", "grader", "push")


def started(user_id: UUID, submission_id: UUID) -> SubmissionGradingStarted:
    return SubmissionGradingStarted(
        occurred_at=datetime.now(UTC),
        submission_id=submission_id,
        user_id=user_id,
        assignment_id=uuid4(),
        attempt=1,
        grader_id="nobody",
    )


class Poisoner:
    """Publishes every kind of bad event in turn on a student's new subjects, on a submission
    of theirs already graded, and on strangers' subjects; remembers (seq, subject, own)."""

    def __init__(self, js, crowd: list[tuple[UUID, load.Student]]) -> None:
        self.js, self.crowd = js, crowd
        self.published: list[tuple[int, str, bool]] = []

    def targets(self) -> list[tuple[str, bool]]:
        found = [(subjects.submission(uuid4(), uuid4()), False)]
        for user_id, student in self.crowd:
            found.append((subjects.submission(user_id, uuid4()), True))
            for heard in sorted(student.heard)[:1]:
                found.append((subjects.submission(user_id, UUID(heard)), True))
        return found

    async def run(self, stop: asyncio.Event) -> None:
        turn = 0
        while not stop.is_set() or turn < MIN_BAD:
            for subject, own in self.targets():
                user_id, submission_id = (UUID(part) for part in subjects.ids_of(subject))
                bad = poison.kinds(started(user_id, submission_id))[turn % len(poison.KINDS)]
                ack = await self.js.publish(subject, bad.data, headers=bad.headers)
                self.published.append((ack.seq, subject, own))
                turn += 1
                await asyncio.sleep(PACE_S)


async def set_aside(nats_url: str) -> list[dict]:
    """What `grindstone set-aside --json` prints."""
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "grindstone_cli", "set-aside", "--json", "--nats-url", nats_url),
        cwd=processes.ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return [json.loads(line) for line in out.decode().splitlines()]


async def listed_by_all(nats_url: str, seqs: set[int]) -> list[dict]:
    """The records once the projector and the grader have each set aside every one of `seqs`."""
    async with asyncio.timeout(PATIENCE_S):
        while True:
            records = await set_aside(nats_url)
            by = {name: {r["seq"] for r in records if r["consumer"] == name} for name in CONSUMERS}
            if seqs <= by["projector"] and seqs <= by["grader"]:
                return records
            await asyncio.sleep(0.5)


async def test_bad_events_are_set_aside_while_every_student_hears_every_verdict(
    system, monkeypatch
):
    # a bad event landing on a student's subjects between the API's read and its append,
    # twice in a row, makes a 409: the client sends the same Idempotency-Key again
    monkeypatch.setattr(load, "RETRYABLE", {409, *load.RETRYABLE})
    secret = system.env["GRINDSTONE_SECRET"]
    students = await load.new_students(system.url, STUDENTS)
    crowd = [(auth.verify(secret, s.token).user_id, s) for s in students]  # type: ignore[union-attr]
    published = await submit_while_poisoned(system.urls["nats_url"], crowd)

    accepted = [sid for s in students for sid in s.accepted]
    assert len(accepted) == STUDENTS * ROUNDS
    assert all(set(s.accepted) <= s.heard for s in students)
    counts = await load.graded_counts(system.urls["nats_url"], accepted)
    assert counts == Counter({sid: 1 for sid in accepted})
    await read_models_agree(system, students)
    exited = {label: len(c.exits) for label, c in system.supervisor.children.items() if c.exits}
    assert exited == {}, "no service process exited (nor was restarted)"
    assert all(c.alive() for c in system.supervisor.children.values())
    assert_listed_once(await listed_by_all(system.urls["nats_url"], set(published)), published)


async def submit_while_poisoned(
    nats_url: str, crowd: list[tuple[UUID, load.Student]]
) -> dict[int, tuple[str, bool]]:
    """Every student's rounds with bad events published meanwhile: seq -> (subject, own)."""
    nc = await nats.connect(nats_url)
    poisoner, stop = Poisoner(nc.jetstream(), crowd), asyncio.Event()
    try:
        poisoning = asyncio.create_task(poisoner.run(stop))
        await asyncio.gather(*(s.run(asyncio.Event(), rounds=ROUNDS) for _, s in crowd))
        stop.set()
        await poisoning
    finally:
        stop.set()
        await nc.close()
    return {seq: (subject, own) for seq, subject, own in poisoner.published}


def assert_listed_once(records: list[dict], bad: dict[int, tuple[str, bool]]) -> None:
    assert len(bad) >= MIN_BAD
    keys = [(r["consumer"], r["seq"]) for r in records]
    assert len(keys) == len(set(keys)), "each bad event is listed once per consumer"
    for record in records:
        assert record["seq"] in bad and record["subject"] == bad[record["seq"]][0], record
        assert record["reason"] and record["set_aside_at"], record
    pushed = [r["seq"] for r in records if r["consumer"] == "push"]
    assert pushed and all(bad[seq][1] for seq in pushed)  # push decodes only for listeners


async def read_models_agree(system, students: list[load.Student]) -> None:
    """Each student's submissions read back as graded, past every bad event."""
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        for student in students:
            headers = {"Authorization": f"Bearer {student.token}"}
            for sid in student.accepted:
                params = {"after_seq": student.last_seq}
                read = await http.get(f"/api/submissions/{sid}", params=params, headers=headers)
                assert read.status_code == 200, read.text
                assert read.json()["status"] == "passed", read.json()
