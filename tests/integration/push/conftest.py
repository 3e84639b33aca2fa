"""The push service under uvicorn on a free port, and real WebSocket clients for it."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID, uuid4

import pytest
import uvicorn
from litestar import Litestar
from nats.js import JetStreamContext
from websockets.asyncio.client import ClientConnection, connect

from common import auth, embedded
from common import nats as gnats
from events import Event
from services.push.app import server_config
from services.push.settings import Settings
from tests.conftest import SECRET, Servers

RECEIVE_TIMEOUT_S = 10.0  # only bounds a hang; no test measures time


class PushServer:
    def __init__(self, app: Litestar, port: int) -> None:
        self.app = app
        self.port = port
        self.url = f"ws://127.0.0.1:{port}/ws"
        self.http_url = f"http://127.0.0.1:{port}"


@pytest.fixture
def push_settings(servers: Servers, valkey: object) -> Settings:
    """Depends on `valkey` so its db is flushed first."""
    return Settings(
        nats_url=servers.nats_url,
        valkey_url=servers.valkey_url,
        secret=SECRET,
        port=embedded.free_port(),
        log_level="WARNING",
    )


@pytest.fixture
async def push(push_settings: Settings, js: JetStreamContext) -> AsyncIterator[PushServer]:
    """Depends on `js` so the stream is fresh before the service subscribes."""
    async with serving(push_settings) as server:
        yield server


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[PushServer]:
    """One push replica under uvicorn, configured as `python -m services.push` does, until the
    block ends."""
    config = server_config(settings)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raises what stopped it
        await asyncio.sleep(0.01)
    try:
        yield PushServer(config.app, settings.port)
    finally:
        server.should_exit = True
        await task


def token_for(user_id: UUID, role: auth.Role = "student") -> str:
    return auth.issue(SECRET, auth.Identity(user_id, role))


@asynccontextmanager
async def student_socket(
    push: PushServer, user_id: UUID, after: int | None = None, **options: Any
) -> AsyncIterator[ClientConnection]:
    query = "" if after is None else f"?after={after}"
    headers = {"Authorization": f"Bearer {token_for(user_id)}"}
    async with connect(push.url + query, additional_headers=headers, **options) as ws:
        yield ws


async def receive(ws: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(RECEIVE_TIMEOUT_S):
        return dict(json.loads(await ws.recv()))


async def append(js: JetStreamContext, subject: str, event: Event) -> int:
    return await gnats.append(js, subject, event, msg_id=f"test:{uuid4()}")
