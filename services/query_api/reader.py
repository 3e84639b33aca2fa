"""Reads: Valkey first, Postgres on a miss (filling the key), after the caller's own writes."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import valkey.exceptions
from psycopg_pool import AsyncConnectionPool

from common import readmodel, written
from common.cache import Cache
from common.tracking import Bell, Tracker
from services.query_api import queries
from services.query_api.params import Cursor

log = logging.getLogger(__name__)

CHECKPOINT_KEY = "projector:checkpoint"
ASSIGNMENTS_KEY = readmodel.ASSIGNMENTS_KEY
_CACHE_DOWN = (valkey.exceptions.ConnectionError, valkey.exceptions.TimeoutError)

Loaded = tuple[dict[str, Any], int] | None  # (value, last_seq) from Postgres, or nothing
Loader = Callable[[], Awaitable[Loaded]]


RECHECK_S = 0.25  # a wait looks again this often even when no change was heard


class Reader:
    def __init__(
        self,
        pool: AsyncConnectionPool[Any],
        cache: Cache,
        wait_max_s: float,
        tracker: Tracker | None = None,
    ) -> None:
        self.pool = pool
        self.cache = cache
        self.wait_max_s = wait_max_s
        self.tracker = tracker
        self.moved = Bell()  # rung when Valkey says the projector's mark changed
        if tracker is not None:
            tracker.listen(self._changed)

    def _changed(self, keys: list[str] | None) -> None:
        if keys is None or CHECKPOINT_KEY in keys:
            self.moved.ring()

    async def _get(self, key: str) -> dict[str, Any] | None:
        try:
            return await self.cache.get(key)
        except _CACHE_DOWN:
            log.warning("valkey unavailable: reading %s from Postgres", key)
            return None

    async def _fill(self, key: str, value: dict[str, Any], last_seq: int) -> None:
        try:
            await self.cache.put_if_newer(key, value, last_seq)
        except _CACHE_DOWN:
            log.warning("valkey unavailable: %s not cached", key)

    async def _load(self, key: str, load: Loader) -> dict[str, Any] | None:
        loaded = await load()
        if loaded is None:
            return None
        value, last_seq = loaded
        await self._fill(key, value, last_seq)
        return {**value, "last_seq": last_seq}

    async def _cached(self, key: str, load: Loader) -> dict[str, Any] | None:
        value = await self._get(key)
        return value if value is not None else await self._load(key, load)

    async def target(self, user_id: UUID, asked: int) -> int:
        """The sequence a read of this student waits for: the highest of `asked` and their
        latest write as noted by the command API; 0 when the projector is there already. One
        Valkey round trip for both keys, the common case's only one."""
        try:
            noted, reached = await self.cache.client.mget(written.key(user_id), CHECKPOINT_KEY)
        except _CACHE_DOWN:
            return asked  # nothing noted to read: the cookie and `after_seq` still count
        seq = max(asked, int(noted or 0))
        return 0 if reached is not None and int(reached) >= seq else seq

    async def checkpoint(self) -> int:
        """How far the cache and the read models reflect the stream."""
        try:
            raw = await self.cache.client.get(CHECKPOINT_KEY)
        except _CACHE_DOWN:
            raw = None
        if raw is not None:
            return int(raw)
        async with self.pool.connection() as conn:
            return await queries.checkpoint(conn)

    async def wait_for(self, seq: int) -> bool:
        """Wait (at most wait_max_s) until the projector has reached `seq`; False on timeout.
        Looks again when Valkey says the mark moved (or every RECHECK_S: a mark that expired
        leaves Postgres to answer, which says nothing when it moves); without that news, as
        while Valkey is down, it polls, backing off from 5 ms."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_max_s
        pause = 0.005
        while seq > 0:
            moved = self.moved.next_ring()  # taken before looking: no ring is missed
            if await self.checkpoint() >= seq:
                return True
            left = deadline - loop.time()
            if left <= 0:
                log.info("read after seq %d went ahead before the projector got there", seq)
                return False
            if self.tracker is not None and self.tracker.live:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(moved.wait(), min(RECHECK_S, left))
            else:
                await asyncio.sleep(min(pause, left))
                pause = min(pause * 2, 0.1)
        return True

    async def assignments(self) -> list[dict[str, Any]]:
        value = await self._cached(ASSIGNMENTS_KEY, self._load_assignments)
        return list(value["items"]) if value else []

    async def _load_assignments(self) -> Loaded:
        async with self.pool.connection() as conn:
            rows = await queries.assignments(conn)
        last_seq = max((row["last_seq"] for row in rows), default=0)
        return {"items": [readmodel.assignment_summary(row) for row in rows]}, last_seq

    async def assignment(self, assignment_id: UUID) -> dict[str, Any] | None:
        async def load() -> Loaded:
            async with self.pool.connection() as conn:
                row = await queries.assignment(conn, assignment_id)
            return None if row is None else (readmodel.assignment_detail(row), row["last_seq"])

        return await self._cached(readmodel.assignment_key(assignment_id), load)

    async def submission(self, submission_id: UUID, after_seq: int) -> dict[str, Any] | None:
        """The cached shape (with `user_id`), or None when unknown or deleted. A cached value
        already at `after_seq` needs no wait for the projector."""

        async def load() -> Loaded:
            async with self.pool.connection() as conn:
                row = await queries.submission(conn, submission_id)
            if row is None or row["deleted"]:
                return None  # the projector tombstones deletions; a fill never does
            return readmodel.submission(row), row["last_seq"]

        value = await self._fresh(readmodel.submission_key(submission_id), load, after_seq)
        return None if value is None or value.get("deleted") else value

    async def run(self, run_id: UUID, after_seq: int) -> dict[str, Any] | None:
        """The cached shape (with `user_id`), or None when unknown; as `submission` waits."""

        async def load() -> Loaded:
            async with self.pool.connection() as conn:
                row = await queries.run(conn, run_id)
            return None if row is None else (readmodel.run(row), row["last_seq"])

        return await self._fresh(readmodel.run_key(run_id), load, after_seq)

    async def _fresh(self, key: str, load: Loader, after_seq: int) -> dict[str, Any] | None:
        """The key's value as of `after_seq` at least: a cached value already there needs no
        wait for the projector; otherwise wait for it, then Valkey, then Postgres."""
        value = await self._get(key)
        if after_seq and (value is None or int(value.get("last_seq", 0)) < after_seq):
            await self.wait_for(after_seq)
            value = await self._get(key)
        if value is None:
            value = await self._load(key, load)
        return value

    async def submissions(
        self, user_id: UUID, assignment_id: UUID | None, after: Cursor | None, limit: int
    ) -> list[dict[str, Any]]:
        """Up to `limit` of the student's submissions, newest first, after the cursor."""
        async with self.pool.connection() as conn:
            rows = await queries.submissions_page(conn, user_id, assignment_id, after, limit)
        return [{**readmodel.submission(r), "last_seq": r["last_seq"]} for r in rows]

    async def completed(self, user_id: UUID) -> list[str]:
        """The assignments the student has passed, first pass first."""

        async def load() -> Loaded:
            async with self.pool.connection() as conn:
                rows = await queries.completed(conn, user_id)
            last_seq = max((row["last_seq"] for row in rows), default=0)
            return readmodel.completed(user_id, rows), last_seq

        value = await self._cached(readmodel.progress_key(user_id), load)
        return list(value["completed"]) if value else []
