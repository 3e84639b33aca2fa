"""Valkey key `command:written:<user_id>`: the stream sequence of a student's latest write.

The command API raises it after every append; the query API waits for the projector to reach
it before answering that student, so any client (cookie or Bearer token) reads its own writes.
"""

from uuid import UUID

import valkey.asyncio as valkey

TTL_S = 600  # far longer than the projector ever lags; a lapsed key only skips the wait

_RAISE = """
local old = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > old then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
else
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 1
"""


def key(user_id: UUID) -> str:
    return f"command:written:{user_id}"


async def raise_to(client: valkey.Valkey, user_id: UUID, seq: int) -> None:
    script = client.register_script(_RAISE)
    await script(keys=[key(user_id)], args=[seq, TTL_S])
