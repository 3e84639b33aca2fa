"""Submissions per student per minute, counted in Valkey; over the limit -> 429 + Retry-After."""

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from services.command_api.app import create_app
from tests.integration.command_api.helpers import student


@pytest.fixture
async def strict_client(settings):
    strict = msgspec.structs.replace(settings, rate_limit_per_minute=2)
    async with AsyncTestClient(create_app(strict)) as client:
        yield client


async def test_over_the_limit_is_a_429_with_retry_after(strict_client, assignment):
    _, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    statuses = [
        (await strict_client.post("/api/submissions", json=body, headers=headers)).status_code
        for _ in range(2)
    ]
    assert statuses == [202, 409]  # both counted, whatever their outcome

    response = await strict_client.post("/api/submissions", json=body, headers=headers)

    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert "2 times a minute" in response.json()["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60


async def test_the_limit_is_per_student(strict_client, assignment):
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    _, first = student()
    for _ in range(3):
        await strict_client.post("/api/submissions", json=body, headers=first)
    _, second = student()

    response = await strict_client.post("/api/submissions", json=body, headers=second)

    assert response.status_code == 202


async def test_the_counter_key_expires(strict_client, valkey, assignment):
    user_id, headers = student()
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    await strict_client.post("/api/submissions", json=body, headers=headers)

    keys = await valkey.keys(f"command_api:rate:student:{user_id}:*")

    assert len(keys) == 1
    assert 0 < await valkey.ttl(keys[0]) <= 120


async def test_a_limit_of_zero_turns_it_off(settings, assignment):
    off = msgspec.structs.replace(settings, rate_limit_per_minute=0)
    body = {"assignment_id": str(assignment.assignment_id), "code": "x = 1"}
    _, headers = student()
    async with AsyncTestClient(create_app(off)) as client:
        statuses = {
            (await client.post("/api/submissions", json=body, headers=headers)).status_code
            for _ in range(5)
        }
    assert 429 not in statuses
