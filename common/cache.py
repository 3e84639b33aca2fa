"""Valkey client and the one cache write: a value wins only if its stream sequence is newer.

Every cached value is JSON with a `last_seq`; the projector refreshes a key after commit and the
query API fills a missed key from Postgres, both through `put_if_newer`, so a slow fill can never
put an older row over a newer one, and a deletion leaves a tombstone that a late fill cannot undo.
"""

import json
from typing import Any

import valkey.asyncio as valkey

TTL_S = 3600
TOMBSTONE_TTL_S = 60

_PUT_IF_NEWER = """
local old = redis.call('GET', KEYS[1])
if old then
  local old_seq = tonumber(cjson.decode(old)['last_seq']) or 0
  if old_seq >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
"""


def connect(url: str) -> valkey.Valkey:
    client: valkey.Valkey = valkey.Valkey.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    return client


class Cache:
    def __init__(self, client: valkey.Valkey) -> None:
        self.client = client
        self._put = client.register_script(_PUT_IF_NEWER)

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self.client.get(key)
        return None if raw is None else dict(json.loads(raw))

    async def put_if_newer(self, key: str, value: dict[str, Any], last_seq: int) -> bool:
        body = json.dumps({**value, "last_seq": last_seq}, default=str)
        return bool(await self._put(keys=[key], args=[body, last_seq, TTL_S]))

    async def tombstone(self, key: str, last_seq: int) -> None:
        body = json.dumps({"deleted": True, "last_seq": last_seq})
        await self._put(keys=[key], args=[body, last_seq, TOMBSTONE_TTL_S])

    async def delete(self, *keys: str) -> None:
        if keys:
            await self.client.delete(*keys)
