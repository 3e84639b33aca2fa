"""What the operators' tools cost, each beside a baseline from the same run, on embedded NATS
and PostgreSQL servers of its own:

- `grindstone events tail` (the last 20; one early submission's events, read back window by
  window to the stream's start), against reading the whole stream once;
- `common/systemstate.gather` (`grindstone status`) with every event in the last minute and the
  projections at 0 (the worst case), against one stream-info request;
- the HTTP metrics per request (common/http_metrics.instrument), against the same app without.

    python -m bench.operators --events 100000
"""

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from litestar import Litestar, get

from bench.audit_verify import build
from common import db, embedded, eventlog, http_metrics, systemstate
from common import nats as gnats
from events import subjects
from grindstone_cli import eventview
from services.projector import schema

ROUNDS = 3
REQUESTS = 5_000


def filters(**given: Any) -> eventview.Filter:
    args = argparse.Namespace(
        student=None, submission=None, assignment=None, types=None, since=None, until=None
    )
    vars(args).update(given)
    return eventview.Filter.of(args)


async def timed(job: Any) -> float:
    """The best of ROUNDS runs, in seconds."""
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await job()
        best = min(best, time.perf_counter() - started)
    return best


async def read_all(js: Any) -> None:
    async with contextlib.aclosing(eventlog.read(js)) as messages:
        async for _ in messages:
            pass


async def event_log(js: Any, count: int) -> None:
    top = await eventview.stream_last_seq(js)
    first = await js.get_msg(subjects.EVENTS_STREAM, seq=1, direct=True)
    _, submission = subjects.ids_of(first.subject)
    one = filters(submission=submission)
    baseline = await timed(lambda: read_all(js))
    last20 = await timed(lambda: eventview.last_matching(js, filters(), 20, top))
    early = await timed(lambda: eventview.last_matching(js, one, 20, top))
    print(f"events on the stream: {count}")
    print(f"  baseline, read the whole stream once:        {baseline * 1000:8.1f} ms")
    print(f"  events tail (last 20, no filter):            {last20 * 1000:8.1f} ms")
    print(f"  events tail --submission (its 3 events at the start): {early * 1000:8.1f} ms")


async def status(js: Any, database_url: str) -> None:
    pool = await db.open_pool(database_url, max_size=2)
    await schema.create(pool)
    try:
        baseline = await timed(lambda: js.stream_info(subjects.EVENTS_STREAM))
        gathered = await timed(lambda: systemstate.gather(js, pool))
        state = await systemstate.gather(js, pool)
    finally:
        await pool.close()
    print(f"  baseline, one stream-info request:           {baseline * 1000:8.1f} ms")
    print(f"  status gather ({state.graded_last_minute} graded in the last minute, "
          f"lag {state.projections[0].lag_events}): {gathered * 1000:8.1f} ms")  # fmt: skip


@get("/x", sync_to_thread=False)
def plain() -> dict[str, int]:
    return {"ok": 1}


async def per_request(app: Any) -> float:
    """Microseconds per GET /x through the ASGI app itself (no sockets)."""
    scope = {"type": "http", "method": "GET", "path": "/x", "raw_path": b"/x", "root_path": "",
             "query_string": b"", "headers": [], "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1)}  # fmt: skip

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        pass

    samples = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for _ in range(REQUESTS):
            await app(dict(scope), receive, send)
        samples.append((time.perf_counter() - started) / REQUESTS * 1e6)
    return statistics.median(samples)


async def http_cost() -> None:
    bare = Litestar([plain])
    counted = http_metrics.instrument(Litestar([plain]), "bench")
    baseline, instrumented = await per_request(bare), await per_request(counted)
    print(f"HTTP, {REQUESTS} requests through the ASGI app, median of {ROUNDS}:")
    print(f"  baseline, without metrics:                   {baseline:8.1f} µs/request")
    print(f"  with requests and latency counted:           {instrumented:8.1f} µs/request")


async def main(count: int) -> None:
    with contextlib.ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-ops-")))
        os.chmod(root, 0o755)  # PostgreSQL runs as an unprivileged user
        nats_url = stack.enter_context(embedded.nats_server(root / "nats"))
        database_url = stack.enter_context(embedded.postgres_server(root / "pg"))
        nc = await gnats.connect(nats_url, "bench")
        js = nc.jetstream()
        await gnats.ensure_streams(js)
        await build(js, count)
        await event_log(js, count)
        await status(js, database_url)
        await nc.close()
    await http_cost()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().events))
