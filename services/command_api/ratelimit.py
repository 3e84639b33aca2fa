"""Per-student fixed-window rate limit on submissions, counted in Valkey."""

import math
from uuid import UUID

import valkey.asyncio as valkey

from common.http import ApiError

WINDOW_S = 60
KEY_TTL_S = 2 * WINDOW_S  # outlives its window, then Valkey forgets it


def window(now: float) -> tuple[int, int]:
    """(the minute `now` falls in, whole seconds until the next one starts)."""
    minute = int(now // WINDOW_S)
    return minute, max(1, math.ceil((minute + 1) * WINDOW_S - now))


def key(user_id: UUID, minute: int) -> str:
    return f"command_api:rate:{user_id}:{minute}"


class RateLimiter:
    def __init__(self, client: valkey.Valkey, per_minute: int) -> None:
        self.client = client
        self.per_minute = per_minute

    async def check(self, user_id: UUID, now: float) -> None:
        """Count one submission; a 429 with Retry-After once the window is used up."""
        if self.per_minute <= 0:
            return
        minute, retry_after = window(now)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(key(user_id, minute))
            pipe.expire(key(user_id, minute), KEY_TTL_S)
            count, _ = await pipe.execute()
        if int(count) > self.per_minute:
            raise ApiError(
                429,
                "rate_limited",
                f"You can submit at most {self.per_minute} times a minute; "
                f"try again in {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
            )
