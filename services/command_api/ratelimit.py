"""Fixed-window rate limits counted in Valkey: submissions per student and per client address,
ungraded runs per student (apart: neither counts against the other), sessions created per
client address. Over a limit -> 429 `rate_limited` with Retry-After."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import valkey.asyncio as valkey

from common.http import ApiError
from services.command_api.settings import Settings


@dataclass(frozen=True)
class Limit:
    scope: str  # the counter's name in its key: `command_api:rate:<scope>:<who>:<window>`
    most: int  # 0 turns the limit off
    seconds: int
    what: str  # "You can submit": the sentence's subject and verb

    def window(self, now: float) -> tuple[int, int]:
        """(the window `now` falls in, whole seconds until the next one starts)."""
        index = int(now // self.seconds)
        return index, max(1, math.ceil((index + 1) * self.seconds - now))

    def key(self, who: str, index: int) -> str:
        return f"command_api:rate:{self.scope}:{who}:{index}"

    def refusal(self, retry_after: int) -> ApiError:
        return ApiError(
            429,
            "rate_limited",
            f"{self.what} at most {self.most} {_times(self.scope)} {_span(self.seconds)}; "
            f"try again in {retry_after} seconds.",
            headers={"Retry-After": str(retry_after)},
        )


def runs_limit(settings: Settings) -> Limit:
    """Runs per student; off with the rest when `rate_limit_per_minute` is 0."""
    on = settings.rate_limit_per_minute > 0
    return Limit("runs", settings.runs_per_minute if on else 0, 60, "You can run your code")


def _times(scope: str) -> str:
    return "sessions" if scope == "sessions" else "times"


def _span(seconds: int) -> str:
    if seconds == 60:
        return "a minute"
    if seconds % 60 == 0:
        return f"in {seconds // 60} minutes"
    return f"in {seconds} seconds"


def limits(settings: Settings) -> tuple[Limit, Limit, Limit]:
    """(per student, per address, sessions per address); `rate_limit_per_minute` 0 turns
    all of them off (load tests)."""
    on = settings.rate_limit_per_minute > 0
    return (
        Limit("student", settings.rate_limit_per_minute, 60, "You can submit"),
        Limit(
            "address",
            settings.submissions_per_address_per_minute if on else 0,
            60,
            "Your network address can submit",
        ),
        Limit(
            "sessions",
            settings.sessions_per_address if on else 0,
            settings.sessions_window_s,
            "Your network address can start",
        ),
    )


# KEYS: counters; ARGV: (most, ttl) for each. Each counter outlives its window (ttl), then
# Valkey forgets it. Stops after the first one past its most: the counts so far.
_COUNT = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[2 * i])
  counts[i] = count
  if count > tonumber(ARGV[2 * i - 1]) then break end
end
return counts
"""


class RateLimiter:
    def __init__(
        self, client: valkey.Valkey, settings: Settings, clock: Callable[[], float] = time.time
    ) -> None:
        self.client = client
        self.per_student, self.per_address, self.sessions = limits(settings)
        self.runs = runs_limit(settings)
        self.clock = clock
        self._count = client.register_script(_COUNT)

    async def submission(self, user_id: UUID, address: str) -> None:
        """Count one submission against its address, then its student (a 429 past either)."""
        await self.count((self.per_address, address), (self.per_student, str(user_id)))

    async def run(self, user_id: UUID) -> None:
        """Count one ungraded run against its student (a 429 past the runs' limit)."""
        await self.count((self.runs, str(user_id)))

    async def session(self, address: str) -> None:
        """Count one new session against its address."""
        await self.count((self.sessions, address))

    async def count(self, *counted: tuple[Limit, str]) -> None:
        """Count against each limit in order, in one round trip; the first one past its most
        is refused (and the later ones are not counted)."""
        now = self.clock()
        active = [(limit, who, *limit.window(now)) for limit, who in counted if limit.most > 0]
        if not active:
            return
        keys = [limit.key(who, index) for limit, who, index, _ in active]
        args = [n for limit, *_ in active for n in (limit.most, 2 * limit.seconds)]
        counts = await self._count(keys=keys, args=args)
        for (limit, _, _, retry_after), count in zip(active, counts, strict=False):
            if int(count) > limit.most:
                raise limit.refusal(retry_after)
