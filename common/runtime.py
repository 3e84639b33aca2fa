"""Process plumbing for the workers: run a job until SIGTERM or SIGINT."""

import asyncio
import contextlib
import signal
from collections.abc import Awaitable
from typing import Any


async def until_stopped(job: Awaitable[Any]) -> None:
    """Run the job until SIGTERM/SIGINT; its failure propagates (the process exits non-zero)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    task = asyncio.ensure_future(job)
    stopper = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    stopper.cancel()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
