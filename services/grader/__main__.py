"""`python -m services.grader`: grade submissions until SIGTERM/SIGINT."""

import asyncio
import contextlib
import logging
import signal
from collections.abc import Coroutine
from typing import Any

from common import logs
from common import nats as gnats
from services.grader import worker
from services.grader.settings import Settings, from_env

log = logging.getLogger(__name__)


async def main(settings: Settings) -> None:
    nc = await gnats.connect(settings.nats_url, f"grader {settings.grader_id}")
    try:
        js = nc.jetstream()
        await gnats.ensure_streams(js)
        log.info("grading with %d slots as %s", settings.concurrency, settings.grader_id)
        await until_stopped(worker.run(js, settings))
    finally:
        await nc.drain()


async def until_stopped(job: Coroutine[Any, Any, None]) -> None:
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


def run() -> None:
    settings = from_env()
    logs.configure(settings.log_level, "grader")
    asyncio.run(main(settings))


if __name__ == "__main__":
    run()
