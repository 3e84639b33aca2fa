"""Students who keep submitting and listening while something breaks: each submit carries an
Idempotency-Key and is retried until answered; each socket reconnects with ?after=<last seq>.
Afterwards the stream says whether every accepted submission was graded exactly once."""

import asyncio
import contextlib
import json
from collections import Counter
from uuid import uuid4

import httpx
import nats
import websockets

from common import nats as gnats
from events import SubmissionGraded, codec, subjects
from tests.e2e.conftest import curriculum_record

RETRY_S = 0.2
HEARD_TIMEOUT_S = 60.0  # a job whose grader was killed waits for its ack wait (10 s)
RETRYABLE = {502, 503, 504}


class Student:
    def __init__(self, base: str, token: str, assignment_id: str, code: str, name: str) -> None:
        self.base, self.token, self.name = base, token, name
        self.assignment_id, self.code = assignment_id, code
        self.accepted: list[str] = []
        self.heard: set[str] = set()
        self.last_seq = 0
        self.opened = 0  # sockets opened: more than one means it reconnected
        self.connected = asyncio.Event()  # set once a socket is open
        self.changed = asyncio.Event()

    async def run(self, stop: asyncio.Event, rounds: int | None = None) -> None:
        listening = asyncio.create_task(self.listen(stop))
        try:
            async with httpx.AsyncClient(base_url=self.base, timeout=5) as http:
                done = 0
                while not stop.is_set() and (rounds is None or done < rounds):
                    sid = await self.submit(http, f"# {self.name} round {done}\n{self.code}")
                    await self.hear(sid)
                    done += 1
        finally:
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listening

    async def submit(self, http: httpx.AsyncClient, code: str) -> str:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": str(uuid4())}
        body = {"assignment_id": self.assignment_id, "code": code}
        for _ in range(600):
            try:
                answer = await http.post("/api/submissions", json=body, headers=headers)
            except httpx.TransportError:
                answer = None
            if answer is not None and answer.status_code == 202:
                self.accepted.append(answer.json()["id"])
                return str(answer.json()["id"])
            if answer is not None and answer.status_code not in RETRYABLE:
                raise AssertionError(f"{self.name}: {answer.status_code} {answer.text}")
            await asyncio.sleep(RETRY_S)
        raise AssertionError(f"{self.name}: no submit got through")

    async def hear(self, sid: str) -> None:
        async with asyncio.timeout(HEARD_TIMEOUT_S):
            while sid not in self.heard:
                self.changed.clear()
                await self.changed.wait()

    async def listen(self, stop: asyncio.Event) -> None:
        ws_base = self.base.replace("http", "ws", 1)
        while not stop.is_set():
            url = f"{ws_base}/ws?token={self.token}&after={self.last_seq}"
            with contextlib.suppress(OSError, websockets.WebSocketException):
                async with websockets.connect(url, open_timeout=5) as ws:
                    self.opened += 1
                    self.connected.set()
                    async for raw in ws:
                        message = json.loads(raw)
                        self.last_seq = max(self.last_seq, message["seq"])
                        if message["type"] == "submission.graded":
                            self.heard.add(message["submission"]["id"])
                            self.changed.set()
            await asyncio.sleep(RETRY_S)


async def new_students(base: str, count: int) -> list[Student]:
    async with httpx.AsyncClient(base_url=base, timeout=10) as http:
        tokens = []
        for _ in range(count):
            http.cookies.clear()  # a session held would be kept: each student is new
            tokens.append((await http.post("/api/sessions")).json()["token"])
        auth = {"Authorization": f"Bearer {tokens[0]}"}
        assignment = (await http.get("/api/assignments", headers=auth)).json()[0]
    code = curriculum_record(assignment["title"])["solution"]
    return [Student(base, t, assignment["id"], code, f"s{i}") for i, t in enumerate(tokens)]


async def graded_counts(nats_url: str, ids: list[str]) -> Counter[str]:
    """How many SubmissionGraded events the stream holds for each of these submissions."""
    nc = await gnats.connect(nats_url, "tests-check")  # one server or a cluster's list
    try:
        js = nc.jetstream()
        counts: Counter[str] = Counter({sid: 0 for sid in ids})
        for sid in ids:
            seq = 1
            while True:
                try:
                    msg = await js.get_msg(
                        subjects.EVENTS_STREAM,
                        seq=seq,
                        subject=f"events.submission.*.{sid}",
                        next=True,
                        direct=True,
                    )
                except nats.js.errors.NotFoundError:
                    break
                with contextlib.suppress(codec.Unreadable):  # a bad event someone published
                    if isinstance(codec.decode(msg.data or b"", msg.headers), SubmissionGraded):
                        counts[sid] += 1
                seq = int(msg.seq or 0) + 1
        return counts
    finally:
        await nc.close()
