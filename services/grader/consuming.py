"""Pull-consumer plumbing: fetching what fits, a bounded set of running jobs, progress acks."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Coroutine
from typing import Any, TypeVar

from nats.aio.msg import Msg
from nats.js import JetStreamContext

FETCH_TIMEOUT_S = 5.0  # one long poll for the next message
TOP_UP_WAIT_S = 0.05  # then take what else is already there, up to the free slots
T = TypeVar("T")


async def fetch(sub: JetStreamContext.PullSubscription, free: int) -> list[Msg]:
    """At least one message (or none after a long poll), at most `free`.

    A batch fetch would hold a message back until the whole batch arrived or its
    timeout passed; a single long poll returns as soon as one message is there.
    """
    try:
        msgs = await sub.fetch(1, timeout=FETCH_TIMEOUT_S)
    except TimeoutError:
        return []
    if free > 1:
        with contextlib.suppress(TimeoutError):
            msgs += await sub.fetch(free - 1, timeout=TOP_UP_WAIT_S)
    return msgs


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
            await self.guard(asyncio.wait(self.tasks, return_when=asyncio.FIRST_COMPLETED))

    async def cancel(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        if self.failed.done():
            self.failed.exception()  # retrieved: no "never retrieved" warning


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
