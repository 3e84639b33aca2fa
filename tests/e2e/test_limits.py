"""The abuse limits through nginx: new sessions counted per client address (the address nginx
forwards: one a client names itself is not believed), live `/ws` connections per student, the
size of a client's `/ws` message."""

import asyncio
from collections.abc import Iterator
from contextlib import AsyncExitStack
from uuid import uuid4

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError

from common import auth
from grindstone_cli import stack
from tests import systems
from tests.conftest import Servers

SESSIONS = 3


@pytest.fixture(scope="module")
def system(servers: Servers) -> Iterator[stack.System]:
    with pytest.MonkeyPatch.context() as patch:  # the services' environment, limits on
        patch.setenv("COMMAND_API_RATE_LIMIT_PER_MINUTE", "60")
        patch.setenv("COMMAND_API_SESSIONS_PER_ADDRESS", str(SESSIONS))
        with systems.running(servers, "limits", valkey_db=1) as running:
            yield running


def test_sessions_per_address_cannot_be_dodged_by_naming_another_address(system):
    statuses = []
    for n in range(SESSIONS + 1):
        spoofed = {"X-Forwarded-For": f"198.51.100.{n}", "X-Real-IP": f"198.51.100.{n}"}
        with httpx.Client(base_url=system.url, timeout=10) as http:  # no cookie: a new visitor
            response = http.post("/api/sessions", headers=spoofed)
        statuses.append(response.status_code)

    assert statuses == [201] * SESSIONS + [429]
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "rate_limited"
    assert f"at most {SESSIONS} sessions in 10 minutes" in response.json()["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= 600


def student_token(system: stack.System) -> str:
    """Minted, not asked for: the sessions of this address are used up by another test."""
    return auth.issue(system.env["GRINDSTONE_SECRET"], auth.Identity(uuid4(), "student"))


def ws_url(system: stack.System, token: str) -> str:
    return system.url.replace("http", "ws", 1) + f"/ws?token={token}"


async def closed(ws) -> tuple[int | None, str | None]:
    with pytest.raises(ConnectionClosedError):
        await asyncio.wait_for(ws.recv(), 10)
    return ws.close_code, ws.close_reason


def test_a_ninth_connection_of_a_student_is_closed_with_4429(system):
    token = student_token(system)

    async def connect_nine() -> tuple[int | None, str | None]:
        async with AsyncExitStack() as held:
            for _ in range(8):
                ws = await held.enter_async_context(connect(ws_url(system, token)))
                await ws.ping()
            async with connect(ws_url(system, token)) as ninth:
                return await closed(ninth)

    code, reason = asyncio.run(connect_nine())
    assert code == 4429 and reason is not None and "8 live connections" in reason


def test_a_message_over_4_kib_on_ws_is_refused_with_1009(system):
    token = student_token(system)

    async def send_too_much() -> tuple[int | None, str | None]:
        async with connect(ws_url(system, token)) as ws:
            await ws.send("x" * 4096)
            await ws.ping()
            await ws.send("x" * 4097)
            return await closed(ws)

    assert asyncio.run(send_too_much())[0] == 1009
