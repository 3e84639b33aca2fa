"""The Valkey key `projector:checkpoint`: the stream sequence the cache reflects, only raised."""

from common.cache import Cache

KEY = "projector:checkpoint"
TTL_S = 86_400  # an idle projector lets it lapse; readers then fall back to Postgres

_RAISE = """
local old = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tonumber(ARGV[1]) > old then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""


async def raise_to(cache: Cache, seq: int) -> bool:
    """Move the mark up to `seq`; a lower or equal seq leaves it alone."""
    script = cache.client.register_script(_RAISE)
    return bool(await script(keys=[KEY], args=[seq, TTL_S]))
