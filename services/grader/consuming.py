"""Pull-consumer plumbing: fetching what fits (students first, then re-grades), a bounded set of
running jobs, progress acks."""

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from common import nats as gnats

log = logging.getLogger(__name__)

FETCH_TIMEOUT_S = 5.0  # one long poll for the next message
# then take what else the first message says is waiting, up to the free slots; the wait only
# counts when another grader took those meanwhile
TOP_UP_WAIT_S = 0.005
# while re-grades wait: how long a grader listens for students before it takes a re-grade
STUDENTS_FIRST_WAIT_S = 0.02
UNAVAILABLE_PAUSE_S = 0.5  # a fetch JetStream could not serve (a NATS node lost) is retried after
LOOK_AGAIN_S = 1.0  # when no re-grade was waiting: how soon to look again
RUNS_POLL_S = 1.0  # one long poll for the next run (then the students' queue is looked at)
T = TypeVar("T")
Sub = JetStreamContext.PullSubscription


async def fetch(sub: Sub, free: int, wait_s: float = FETCH_TIMEOUT_S) -> list[Msg]:
    """At least one message (or none after a long poll), at most `free`.

    A batch fetch would hold a message back until the whole batch arrived or its
    timeout passed; a single long poll returns as soon as one message is there. The top-up
    asks only for the messages its metadata counts behind it: a fetch that finds fewer
    lingers to its timeout, and the first message with it.
    """
    try:
        msgs = await sub.fetch(1, timeout=wait_s)
    except TimeoutError:
        return []
    except gnats.UNAVAILABLE as exc:  # the consumer is electing a leader: wait, then ask again
        log.warning("fetching jobs: JetStream unavailable (%s); asking again", type(exc).__name__)
        await asyncio.sleep(UNAVAILABLE_PAUSE_S)
        return []
    behind = min(free - 1, msgs[0].metadata.num_pending)
    if behind > 0:
        with contextlib.suppress(*gnats.UNAVAILABLE):
            msgs += await sub.fetch(behind, timeout=TOP_UP_WAIT_S)
    return msgs


async def fetch_jobs(
    sub: Sub,
    free: int,
    wait_s: float,
    is_job: Callable[[Msg], bool],
    behind: Callable[[int], None] = lambda _: None,
) -> list[Msg]:
    """Up to `free` jobs; what is no job (every other event on the subjects) is acked on the
    way, without taking a slot, and the poll goes on. Empty after a poll found nothing.
    `behind` hears how many messages wait behind each batch (0 when a poll found none)."""
    jobs: list[Msg] = []
    while True:
        msgs = await fetch(sub, free - len(jobs), wait_s)
        behind(msgs[-1].metadata.num_pending if msgs else 0)
        if not msgs:
            break
        for msg in msgs:
            if is_job(msg):
                jobs.append(msg)
            else:
                await msg.ack()
        if jobs:
            return jobs
    return jobs


class Priority:
    """Students' submissions first; a re-grade only into a slot no student is waiting for, and
    never into the last `reserved` slots (with more slots than that), so a student who arrives
    while re-grades run finds one free. While re-grades wait, students are listened for only
    briefly between them; when none wait, students are long-polled and the re-grades looked at
    again after LOOK_AGAIN_S (a new batch is noticed within about that)."""

    def __init__(
        self, students: Sub, regrades: Sub, is_job: Callable[[Msg], bool], reserved: int
    ) -> None:
        self.students, self.regrades, self.is_job = students, regrades, is_job
        self.reserved = reserved
        self.regrades_waiting = True  # look once at start
        self.look_at = 0.0  # when none were waiting: when to look again
        # messages the students' last fetch saw waiting behind it (1 before the first look):
        # runs wait while any may be a student's job (serve_runs)
        self.students_behind = 1

    def _behind(self, count: int) -> None:
        self.students_behind = count

    def regrade_slots(self, jobs: "Jobs") -> int:
        kept = min(self.reserved, jobs.size - 1)
        return max(0, jobs.free() - kept)

    async def next(self, jobs: "Jobs") -> tuple[list[Msg], list[Msg]]:
        """(student jobs, re-grade jobs) to start now; both empty after a poll found none."""
        if not self.regrades_waiting and time.monotonic() >= self.look_at:
            self.regrades_waiting = True
        wait = STUDENTS_FIRST_WAIT_S if self.regrades_waiting else LOOK_AGAIN_S
        found = await fetch_jobs(self.students, jobs.free(), wait, self.is_job, self._behind)
        if found or not self.regrades_waiting or self.regrade_slots(jobs) <= 0:
            return found, []  # with re-grades' slots taken: listen for students, briefly
        regrades = await fetch(self.regrades, 1, STUDENTS_FIRST_WAIT_S)
        if not regrades:
            self.regrades_waiting, self.look_at = False, time.monotonic() + LOOK_AGAIN_S
        return [], regrades


async def serve_runs(
    runs: Sub,
    queues: Priority,
    jobs: "Jobs",
    is_job: Callable[[Msg], bool],
    handle: Callable[[Msg], Coroutine[Any, Any, None]],
) -> None:
    """Ungraded runs, into slots no student's submission is waiting for: a run is fetched
    only while a slot is free and the students' last fetch saw none waiting behind it."""
    while True:
        await jobs.wait_for_a_slot()
        if queues.students_behind > 0:
            await asyncio.sleep(STUDENTS_FIRST_WAIT_S)
            continue
        for msg in await fetch_jobs(runs, jobs.free(), RUNS_POLL_S, is_job):
            await jobs.wait_for_a_slot()
            jobs.start(handle(msg))


class Jobs:
    """The running jobs, at most `size`; the first one that fails stops the worker."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.tasks: set[asyncio.Task[None]] = set()
        self.failed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def free(self) -> int:
        return self.size - len(self.tasks)

    def start(self, job: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(job)
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def watch(self, task: asyncio.Task[None]) -> None:
        """A task beside the jobs (not taking a slot) whose failure stops the worker too."""
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        failure = None if task.cancelled() else task.exception()
        if failure is not None and not self.failed.done():
            self.failed.set_exception(failure)

    async def guard(self, step: Awaitable[T]) -> T:
        """Await `step`, unless a job fails first: then that failure is raised."""
        task = asyncio.ensure_future(step)
        either: list[asyncio.Future[Any]] = [task, self.failed]
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not task.done():
                task.cancel()
        if self.failed.done():
            self.failed.result()
        return task.result()

    async def wait_for_a_slot(self) -> None:
        while self.free() <= 0:
            # a copy: the set may empty before the wait starts (two loops wait for slots)
            await self.guard(asyncio.wait(set(self.tasks), return_when=asyncio.FIRST_COMPLETED))

    async def cancel(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.failed.done():
            self.failed.exception()  # retrieved: no "never retrieved" warning


@contextlib.asynccontextmanager
async def settled(msg: Msg, retry_delay_s: float) -> AsyncIterator[None]:
    """Ack the message once the body is done with it; a failure gives it back for redelivery
    after `retry_delay_s` (logged, not raised), a cancellation at once."""
    try:
        yield
        await msg.ack()
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await msg.nak()  # shutting down: another grader takes it now
        raise
    except Exception:
        log.exception("handling %s failed; it will be redelivered", msg.subject)
        with contextlib.suppress(Exception):
            await msg.nak(delay=retry_delay_s)


@contextlib.asynccontextmanager
async def in_progress(msg: Msg, every_s: float) -> AsyncIterator[None]:
    """Tell JetStream the job is still being worked on, so it is not redelivered meanwhile."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every_s)
            await msg.in_progress()

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
