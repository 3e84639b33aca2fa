"""RateLimiter.count: a request's limits counted in one Valkey script call, in order; the first
one past its most refuses it, and the limits after it are not counted."""

import uuid

import msgspec
import pytest

from common.http import ApiError
from services.command_api.ratelimit import RateLimiter

NOW = 1_800_000_000.0  # on a minute's boundary


@pytest.fixture
def limiter(settings, valkey) -> RateLimiter:
    strict = msgspec.structs.replace(
        settings, rate_limit_per_minute=3, submissions_per_address_per_minute=2
    )
    return RateLimiter(valkey, strict, clock=lambda: NOW)


async def counters(valkey, limiter: RateLimiter, student: uuid.UUID, address: str) -> list[int]:
    window = int(NOW // 60)
    keys = [limiter.per_address.key(address, window), limiter.per_student.key(str(student), window)]
    return [int(value or 0) for value in await valkey.mget(keys)]


async def test_both_limits_are_counted_and_the_first_past_its_most_refuses(limiter, valkey):
    me, address = uuid.uuid4(), "192.0.2.7"
    await limiter.submission(me, address)
    await limiter.submission(me, address)
    assert await counters(valkey, limiter, me, address) == [2, 2]

    with pytest.raises(ApiError) as refused:
        await limiter.submission(me, address)

    assert refused.value.status_code == 429
    assert "network address" in str(refused.value.detail)
    assert await counters(valkey, limiter, me, address) == [3, 2]  # the student's not counted
    window = int(NOW // 60)
    assert 0 < await valkey.ttl(limiter.per_student.key(str(me), window)) <= 120


async def test_a_limit_turned_off_is_not_counted(settings, valkey):
    me, address = uuid.uuid4(), "192.0.2.8"
    limiter = RateLimiter(
        valkey, msgspec.structs.replace(settings, rate_limit_per_minute=0), clock=lambda: NOW
    )
    await limiter.submission(me, address)
    assert await counters(valkey, limiter, me, address) == [0, 0]
