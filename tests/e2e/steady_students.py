"""Students submitting at a steady pace while processes die under them: each POST carries an
Idempotency-Key and is retried with it on a 502/503/504 or a broken connection (the contract's
safe retry), each socket reconnects with ?after=<last seq seen>; every attempt that failed is
kept with its time, every 202 with its key, for the checks afterwards."""

import asyncio
import contextlib
import time
from collections import defaultdict
from uuid import UUID, uuid4

import httpx
import nats

from common import nats as gnats
from events import SubmissionCreated, codec, subjects
from tests.e2e import students

SUBMIT_TIMEOUT_S = 5.0
ATTEMPTS = 300  # at RETRY_S apart: a minute for a service to come back


class SteadyStudent(students.Student):
    def __init__(self, base: str, user_id: str, token: str, assignment_id: str, code: str) -> None:
        super().__init__(base, token, assignment_id, code, f"s-{user_id[:8]}")
        self.user_id = user_id
        self.keys: defaultdict[str, set[str]] = defaultdict(set)  # key -> ids its 202s named
        self.sent: list[float] = []  # the monotonic time of each attempt
        self.failures: list[tuple[float, str]] = []  # (monotonic time, what failed)

    async def run(
        self, stop: asyncio.Event, rounds: int | None = None, period_s: float = 1.0
    ) -> None:
        """Submit once every `period_s` (later when the last verdict is slower) until `stop`;
        each submission is heard before the next (a pending one refuses another)."""
        listening = asyncio.create_task(self.listen(stop))
        try:
            async with httpx.AsyncClient(base_url=self.base, timeout=SUBMIT_TIMEOUT_S) as http:
                done = 0
                while not stop.is_set() and (rounds is None or done < rounds):
                    started = time.monotonic()
                    await self.hear(await self.submit(http, f"# {self.name} {done}\n{self.code}"))
                    done += 1
                    with contextlib.suppress(TimeoutError):
                        left = period_s - (time.monotonic() - started)
                        await asyncio.wait_for(stop.wait(), max(left, 0))
        finally:
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listening

    async def submit(self, http: httpx.AsyncClient, code: str) -> str:
        key = str(uuid4())
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key}
        body = {"assignment_id": self.assignment_id, "code": code}
        for _ in range(ATTEMPTS):
            sent = time.monotonic()
            self.sent.append(sent)
            try:
                answer = await http.post("/api/submissions", json=body, headers=headers)
            except httpx.TransportError as exc:
                self.failures.append((sent, f"{type(exc).__name__}: {exc}"))
                await asyncio.sleep(students.RETRY_S)
                continue
            if answer.status_code == 202:
                sid = str(answer.json()["id"])
                self.keys[key].add(sid)
                self.accepted.append(sid)
                return sid
            self.failures.append((sent, f"{answer.status_code} {answer.text[:200]}"))
            if answer.status_code not in students.RETRYABLE:
                raise AssertionError(f"{self.name}: {answer.status_code} {answer.text}")
            await asyncio.sleep(students.RETRY_S)
        raise AssertionError(f"{self.name}: no submit got through")


async def new_students(
    base: str, count: int, assignment: dict[str, str], code: str
) -> list[SteadyStudent]:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        made = []
        for _ in range(count):
            http.cookies.clear()  # a session held would be kept: each student is new
            session = (await http.post("/api/sessions")).json()
            made.append((session["user_id"], session["token"]))
    return [SteadyStudent(base, u, t, assignment["id"], code) for u, t in made]


async def created_ids(nats_url: str, user_id: str) -> list[str]:
    """The submission id of every SubmissionCreated the stream holds for this student."""
    nc = await gnats.connect(nats_url, "tests-check")  # one server or a cluster's list
    try:
        js = nc.jetstream()
        found: list[str] = []
        seq = 1
        while True:
            try:
                msg = await js.get_msg(
                    subjects.EVENTS_STREAM,
                    seq=seq,
                    subject=subjects.student_submissions(UUID(user_id)),
                    next=True,
                    direct=True,
                )
            except nats.js.errors.NotFoundError:
                return found
            event = codec.decode(msg.data or b"", msg.headers)
            if isinstance(event, SubmissionCreated):
                found.append(str(event.submission_id))
            seq = int(msg.seq or 0) + 1
    finally:
        await nc.close()
