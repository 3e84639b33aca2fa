"""Valkey's invalidation messages (client-side caching, broadcast mode): a process hears of
every change to keys under some prefixes, by whichever client, as soon as Valkey applies it.

One connection of our own asks for them (`CLIENT TRACKING ... BCAST`, redirected to itself)
and subscribes to `__redis__:invalidate`. While it is down nothing is heard, so whoever keeps
an in-process copy must trust it only while `live`; losing the connection (or a FLUSH) calls
the listeners with None: "anything may have changed".
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import valkey.asyncio as valkey
from valkey.exceptions import TimeoutError as ValkeyTimeout
from valkey.exceptions import ValkeyError

log = logging.getLogger(__name__)

CHANNEL = "__redis__:invalidate"
QUIET_S = 15.0  # a silent connection is sent a PING after this long; dead if still silent
RETRY_MAX_S = 5.0

Listener = Callable[[list[str] | None], None]  # changed keys, or None for all


class Tracker:
    def __init__(self, client: valkey.Valkey, prefixes: Iterable[str]) -> None:
        self.client = client
        self.prefixes = tuple(prefixes)
        self.listeners: list[Listener] = []
        self.live = False  # subscribed: every change from now on will be heard
        self.client_id: int | None = None  # Valkey's id of the connection, while live
        self._became_live: asyncio.Event = asyncio.Event()

    def listen(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def _tell(self, keys: list[str] | None) -> None:
        for listener in self.listeners:
            listener(keys)

    async def wait_live(self, timeout_s: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._became_live.wait(), timeout_s)
        return self.live

    async def run(self) -> None:
        """Hear changes until cancelled, reconnecting after any failure."""
        pause = 0.1
        while True:
            try:
                await self._follow()
            except (OSError, ValkeyError) as exc:
                log.warning(
                    "valkey invalidations lost (%s: %s); reconnecting", type(exc).__name__, exc
                )
            finally:
                self._down()
            await asyncio.sleep(pause)
            pause = min(pause * 2, RETRY_MAX_S)

    def _down(self) -> None:
        if self.live:
            self.live = False
            self._became_live = asyncio.Event()
        self._tell(None)

    async def _follow(self) -> None:
        async with self._connection() as conn:
            await conn.send_command("CLIENT", "ID")
            own_id = self.client_id = await conn.read_response()
            prefixes = [arg for prefix in self.prefixes for arg in ("PREFIX", prefix)]
            await conn.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", own_id, "BCAST", *prefixes
            )
            await conn.read_response()
            await conn.send_command("SUBSCRIBE", CHANNEL)
            await conn.read_response()
            self._tell(None)  # what was copied before now may be stale
            self.live = True
            self._became_live.set()
            pinged = False
            while True:
                message = await conn.read_response(timeout=QUIET_S)
                if message is None:  # quiet for QUIET_S
                    if pinged:
                        raise ValkeyTimeout("no answer to a PING")
                    await conn.send_command("PING")
                    pinged = True
                    continue
                pinged = False
                self._take(message)

    def _take(self, message: Any) -> None:
        if not isinstance(message, list) or len(message) != 3 or message[0] != b"message":
            return  # a PING's pong
        keys = message[2]
        self._tell(None if keys is None else [k.decode() for k in keys])

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        """A connection of its own, outside the pool, that waits for messages for ever."""
        pool = self.client.connection_pool
        conn = pool.connection_class(**{**pool.connection_kwargs, "socket_timeout": None})
        try:
            await conn.connect()  # type: ignore[no-untyped-call]
            yield conn
        finally:
            await conn.disconnect()


class Bell:
    """Wakes whoever waits for a change: take `next_ring()` before looking, then await it."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def ring(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def next_ring(self) -> asyncio.Event:
        return self._event
