"""The /ops/ page's reads on a read model of N submissions: GET /api/ops/summary's SQL
(per-assignment figures) and one live-feed poll, against a plain count over the same table
(the baseline: one pass over it), on an embedded PostgreSQL of its own. Prints milliseconds."""

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from psycopg import AsyncConnection

from common import db, embedded
from services.projector import schema
from services.query_api import ops

ASSIGNMENTS = 15
ROUNDS = 7

_ASSIGNMENTS = """
INSERT INTO assignments_v3 (assignment_id, source_id, title, position, handout, starter,
                            test_style, last_seq)
SELECT gen_random_uuid(), to_json('src-' || n), to_json('Assignment ' || n), n, '""', '""',
       'module', n
FROM generate_series(1, %(count)s) n
"""

# students of 10 submissions each, spread over the assignments; a third pass, the rest fail
# with one or two of five named tests
_SUBMISSIONS = """
INSERT INTO submissions_v2 (submission_id, user_id, assignment_id, code, status, feedback,
                            attempt, created_at, graded_at, last_seq)
SELECT gen_random_uuid(), md5((n / 10)::text)::uuid, a.assignment_id, '"print(1)"',
       CASE WHEN n %% 3 = 0 THEN 'passed' ELSE 'failed' END,
       json_build_object('message', 'm', 'tests', json_build_array(
           json_build_object('name', 'test_' || (n %% 5), 'outcome',
                             CASE WHEN n %% 3 = 0 THEN 'passed' ELSE 'failed' END),
           json_build_object('name', 'test_' || (n %% 2), 'outcome', 'failed'))),
       1, now() - make_interval(secs => %(count)s - n), now(), %(count)s + n
FROM generate_series(1, %(count)s) n
JOIN (SELECT assignment_id, position FROM assignments_v3) a
  ON a.position = 1 + (n / 10) %% %(assignments)s
"""


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    """Median milliseconds over ROUNDS calls."""
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def main(count: int, url: str) -> None:
    pool = await db.open_pool(url, max_size=3)
    await schema.create(pool)
    async with pool.connection() as conn:
        await conn.execute(_ASSIGNMENTS, {"count": ASSIGNMENTS})
        await conn.execute(_SUBMISSIONS, {"count": count, "assignments": ASSIGNMENTS})
        await conn.execute("ANALYZE")
    async with pool.connection() as conn:
        c: AsyncConnection[Any] = conn
        base = await timed(lambda: c.execute("SELECT count(*) FROM submissions_v2"))
        summary = await timed(lambda: ops.figures(pool))
        first = await timed(lambda: ops.feed(c, None, ops.FEED_DEFAULT_LIMIT))
        poll = await timed(lambda: ops.feed(c, 2 * count - 5, ops.FEED_DEFAULT_LIMIT))
    print(f"{count} submissions, {ASSIGNMENTS} assignments; median of {ROUNDS} (ms)")
    print(f"baseline, count(*):           {base:8.1f}")
    print(f"ops summary figures:          {summary:8.1f}")
    print(f"live feed, first look:        {first:8.1f}")
    print(f"live feed, poll after a seq:  {poll:8.1f}")
    await pool.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)  # PostgreSQL runs as an unprivileged user
        with embedded.postgres_server(Path(folder)) as url:
            asyncio.run(main(args.submissions, url))


if __name__ == "__main__":
    cli()
