"""Helpers for the command API tests: a student's headers, stored events, an in-loop client."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID, uuid4

import httpx
from litestar import Litestar
from nats.js import JetStreamContext

from common import auth
from events import Event, codec, subjects
from tests.conftest import SECRET


def student() -> tuple[UUID, dict[str, str]]:
    """A new student and the headers that authenticate them."""
    user_id = uuid4()
    token = auth.issue(SECRET, auth.Identity(user_id, "student"))
    return user_id, {"Authorization": f"Bearer {token}"}


async def appended(js: JetStreamContext, seq: int) -> tuple[Event, dict[str, str], str]:
    """The event stored at `seq`, with its headers and subject."""
    msg = await js.get_msg(subjects.EVENTS_STREAM, seq)
    headers = dict(msg.headers or {})
    return codec.decode(msg.data or b"", headers), headers, msg.subject or ""


@asynccontextmanager
async def in_this_loop(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    """A client serving `app` in the test's own event loop, so requests truly overlap.

    AsyncTestClient hands each request to a portal thread and waits for it: one at a time.
    Entered inside the test, since the app's lifespan must end in the task that began it.
    """
    transport = httpx.ASGITransport(app=app)
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client,
    ):
        yield client
