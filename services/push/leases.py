"""Live `/ws` connections per student, counted in Valkey across every push replica.

Each connection holds a lease: a member of the sorted set `push:connections:<user_id>` scored
with its expiry (Valkey's own clock, in ms). A connection is admitted only while fewer than the
limit of unexpired leases exist; it renews its lease every third of the lease time and removes
it on close. A push process that dies leaves its leases behind for at most one lease time:
they expire one by one, so the student is never locked out for good. Should Valkey be
unreachable, connections are let in (live updates matter more than the limit) and a warning
is logged.
"""

import asyncio
import logging
from uuid import uuid4

import valkey.asyncio as valkey
import valkey.exceptions

log = logging.getLogger(__name__)

VALKEY_FAILED = (valkey.exceptions.ConnectionError, valkey.exceptions.TimeoutError)

# KEYS[1] the student's set; ARGV: the most, the lease in ms, the lease id, 1 to check the most
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[4] == '1' and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""


def key(user_id: str) -> str:
    return f"push:connections:{user_id}"


class Leases:
    def __init__(self, client: valkey.Valkey, most: int, lease_s: float) -> None:
        self.most = most  # 0 turns the limit off
        self.lease_ms = max(1, round(lease_s * 1000))
        self._hold = client.register_script(_HOLD)
        self._client = client

    async def admit(self, user_id: str) -> str | None:
        """A new lease's id, or None when the student holds the most already."""
        lease = uuid4().hex
        if self.most <= 0:
            return lease
        try:
            held = await self._hold(keys=[key(user_id)], args=[self.most, self.lease_ms, lease, 1])
        except VALKEY_FAILED as exc:
            log.warning("connection limit not checked, Valkey failed: %s", exc)
            return lease
        return lease if held else None

    async def keep(self, user_id: str, lease: str) -> None:
        """Renew the lease until cancelled (put back if it was lost, say Valkey restarted)."""
        if self.most <= 0:
            await asyncio.Event().wait()
        while True:
            await asyncio.sleep(self.lease_ms / 3000)
            try:
                await self._hold(keys=[key(user_id)], args=[self.most, self.lease_ms, lease, 0])
            except VALKEY_FAILED as exc:
                log.warning("a connection's lease was not renewed: %s", exc)

    async def release(self, user_id: str, lease: str) -> None:
        if self.most <= 0:
            return
        try:
            await self._client.zrem(key(user_id), lease)
        except VALKEY_FAILED as exc:
            log.warning("a connection's lease is left to expire: %s", exc)
