"""Limits per client address, counted in Valkey: new sessions, and submissions beside the
per-student limit. Over a limit -> 429 `rate_limited`, a sentence and Retry-After; the count
starts again with the next window. Behind nginx the address is the one it forwards."""

from collections.abc import AsyncIterator

import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from services.command_api.app import create_app
from tests.integration.command_api.helpers import student

NOW = 1_800_000_000.0  # the fake clock starts on a 10-minute boundary


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def strict(settings):
    return msgspec.structs.replace(
        settings,
        sessions_per_address=3,
        sessions_window_s=600,
        submissions_per_address_per_minute=2,
    )


@pytest.fixture
async def client(strict, clock) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(create_app(strict)) as test_client:
        test_client.app.state.limiter.clock = clock
        yield test_client


async def new_session(client: AsyncTestClient) -> httpx.Response:
    """A visitor without a session (the test client would send the last one's cookie)."""
    client.cookies.clear()
    return await client.post("/api/sessions")


def assert_refused(response: httpx.Response, detail: str, retry_after: int) -> None:
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {
        "error": "rate_limited",
        "detail": f"{detail}; try again in {retry_after} seconds.",
    }
    assert response.headers["Retry-After"] == str(retry_after)


async def test_new_sessions_past_the_limit_get_a_429_until_the_window_ends(client, clock):
    statuses = [(await new_session(client)).status_code for _ in range(3)]
    assert statuses == [201, 201, 201]
    clock.now = NOW + 420

    refused = await new_session(client)

    detail = "Your network address can start at most 3 sessions in 10 minutes"
    assert_refused(refused, detail, retry_after=180)
    assert "set-cookie" not in refused.headers
    clock.now = NOW + 600  # the next window
    assert (await new_session(client)).status_code == 201


async def test_renewing_a_session_is_not_a_new_one(client):
    _, headers = student()
    statuses = {(await client.post("/api/sessions", headers=headers)).status_code for _ in range(5)}
    assert statuses == {200}
    assert (await new_session(client)).status_code == 201


async def test_submissions_past_the_address_limit_get_a_429_until_the_minute_ends(
    client, clock, assignment
):
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    for _ in range(2):  # two students: each well under the per-student limit
        _, headers = student()
        assert (
            await client.post("/api/submissions", json=body, headers=headers)
        ).status_code == 202
    clock.now = NOW + 15.5
    _, third = student()

    refused = await client.post("/api/submissions", json=body, headers=third)

    assert_refused(refused, "Your network address can submit at most 2 times a minute", 45)
    clock.now = NOW + 60
    assert (await client.post("/api/submissions", json=body, headers=third)).status_code == 202


async def test_the_counters_expire_in_valkey(client, valkey):
    await client.post("/api/sessions")

    keys = await valkey.keys("command_api:rate:sessions:*")

    assert len(keys) == 1
    assert 0 < await valkey.ttl(keys[0]) <= 1200


async def test_a_zero_turns_a_limit_off_and_no_rate_limit_turns_them_all_off(strict, clock):
    for off in ({"sessions_per_address": 0}, {"rate_limit_per_minute": 0}):
        app = create_app(msgspec.structs.replace(strict, **off))
        async with AsyncTestClient(app) as client:
            statuses = {(await new_session(client)).status_code for _ in range(6)}
        assert statuses == {201}


async def sessions_from(app: Litestar, peer: str, forwarded: str) -> list[int]:
    transport = httpx.ASGITransport(app=app, client=(peer, 40000))
    headers = {"X-Forwarded-For": forwarded}
    async with httpx.AsyncClient(transport=transport, base_url="http://site.local") as client:
        statuses = []
        for _ in range(2):
            client.cookies.clear()
            statuses.append((await client.post("/api/sessions", headers=headers)).status_code)
        return statuses


async def test_the_address_a_loopback_proxy_forwards_is_the_one_counted(strict):
    app = create_app(msgspec.structs.replace(strict, sessions_per_address=2))
    async with app.lifespan():
        assert await sessions_from(app, "127.0.0.1", "198.51.100.7") == [201, 201]
        assert await sessions_from(app, "127.0.0.1", "198.51.100.8") == [201, 201]
        assert await sessions_from(app, "127.0.0.1", "198.51.100.7") == [429, 429]


async def test_a_forwarded_address_from_anyone_else_is_not_believed(strict):
    app = create_app(msgspec.structs.replace(strict, sessions_per_address=2))
    async with app.lifespan():
        assert await sessions_from(app, "203.0.113.9", "198.51.100.7") == [201, 201]
        assert await sessions_from(app, "203.0.113.9", "198.51.100.8") == [429, 429]
