"""A client that stops reading is closed with a reason; it never slows the others down."""

import secrets
import socket
from uuid import uuid4

import pytest
from websockets.exceptions import ConnectionClosed

from common import embedded
from services.push.fanout import CLOSE_TRY_LATER
from services.push.settings import Settings
from tests.conftest import SECRET
from tests.integration.push.conftest import append, receive, student_socket
from tests.unit.push.builders import Story

MAX_APPENDS = 1_000  # far more than loopback buffers hold; the loop stops at the first overflow


def small_socket(push) -> socket.socket:
    """A client socket with a small receive buffer: few messages fit in the kernel's buffers."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", push.port))
    sock.setblocking(False)
    return sock


@pytest.fixture
def push_settings(servers) -> Settings:
    """A tiny queue per connection, so a client that stops reading is found out soon."""
    return Settings(
        nats_url=servers.nats_url,
        valkey_url=servers.valkey_url,
        secret=SECRET,
        port=embedded.free_port(),
        queue_size=2,
    )


async def test_a_client_that_stops_reading_is_closed_with_a_reason_and_others_go_on(push, js):
    slow_user, other = uuid4(), Story()
    unbuffered = {"max_queue": 1, "compression": None}
    code = secrets.token_hex(30_000)  # near the 64 KiB limit: few messages fill the buffers
    router = push.app.state.fanout.router
    async with (
        student_socket(push, slow_user, sock=small_socket(push), **unbuffered) as slow,
        student_socket(push, other.user_id) as fast,
    ):
        appended = 0
        while router.listening(str(slow_user)) and appended < MAX_APPENDS:
            story = Story(user_id=slow_user, code=code)
            await append(js, story.subject, story.created())
            appended += 1
        assert not router.listening(str(slow_user))
        seq = await append(js, other.subject, other.created())
        assert (await receive(fast))["seq"] == seq
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await receive(slow)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_TRY_LATER
    assert "after=" in closed.value.rcvd.reason
