"""Limits on `/ws`: live connections per student, counted in Valkey over every replica (close
4429 with a sentence; a connection's count ends with it, or a lease time after its process
died), and the size of a client's messages (close 1009, refused from the frame header)."""

import asyncio
import os
import signal
import struct
import sys
from uuid import uuid4

import msgspec
import pytest
from websockets.exceptions import ConnectionClosedError

from common import embedded
from services.push import leases
from tests.integration.push.conftest import serving, student_socket, token_for

TOO_MANY = "You have 2 live connections open, the most allowed; close one, then retry."


@pytest.fixture
def limited(push_settings):
    return msgspec.structs.replace(
        push_settings, max_connections_per_student=2, connection_lease_s=1.5
    )


async def until_listening(port: int, proc: asyncio.subprocess.Process) -> None:
    async with asyncio.timeout(30):
        while proc.returncode is None:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            return
    raise AssertionError(f"push exited with status {proc.returncode}")


async def assert_refused(server, user_id) -> None:
    async with student_socket(server, user_id) as ws:
        with pytest.raises(ConnectionClosedError):
            await asyncio.wait_for(ws.recv(), 10)
    assert (ws.close_code, ws.close_reason) == (4429, TOO_MANY)


async def test_a_student_past_the_most_connections_is_closed_with_4429_over_every_replica(
    limited, js
):
    user = uuid4()
    other = msgspec.structs.replace(limited, port=embedded.free_port())
    async with serving(limited) as one, serving(other) as two:
        async with student_socket(one, user), student_socket(two, user):
            await assert_refused(one, user)
            await assert_refused(two, user)
            async with student_socket(one, uuid4()) as someone_else:
                await someone_else.ping()
        async with student_socket(two, user) as ws:  # closing gave the places back
            await ws.ping()


async def test_a_held_connection_keeps_counting_past_its_lease_time(limited, js, valkey):
    user = uuid4()
    async with serving(limited) as push, student_socket(push, user), student_socket(push, user):
        await asyncio.sleep(2 * limited.connection_lease_s)  # renewed every third of it
        await assert_refused(push, user)
        assert await valkey.zcard(leases.key(str(user))) == 2
    assert await valkey.zcard(leases.key(str(user))) == 0


async def test_the_connections_of_a_push_process_that_died_stop_counting_after_a_lease(
    limited, servers, js, valkey
):
    user = uuid4()
    dying = msgspec.structs.replace(limited, port=embedded.free_port(), connection_lease_s=3.0)
    env = {
        **os.environ,
        "NATS_URL": servers.nats_url,
        "VALKEY_URL": servers.valkey_url,
        "GRINDSTONE_SECRET": limited.secret,
        "PUSH_PORT": str(dying.port),
        "PUSH_MAX_CONNECTIONS_PER_STUDENT": "2",
        "PUSH_CONNECTION_LEASE_S": "3",
        "LOG_LEVEL": "WARNING",
    }
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "services.push", env=env)
    try:
        await until_listening(dying.port, proc)
        async with serving(limited) as survivor:
            dead = type(survivor)(survivor.app, dying.port)
            async with student_socket(dead, user) as one, student_socket(dead, user) as two:
                await one.ping()
                await two.ping()
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
                await assert_refused(survivor, user)  # its leases are still running
                await asyncio.sleep(dying.connection_lease_s)
                async with student_socket(survivor, user) as back:
                    await back.ping()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_a_message_up_to_the_frame_limit_is_read_and_ignored(push, js):
    async with student_socket(push, uuid4()) as ws:
        await ws.send("x" * push.app.state.settings.max_frame_bytes)
        await ws.ping()


async def test_a_larger_message_is_refused_with_1009(push, js):
    async with student_socket(push, uuid4()) as ws:
        await ws.send("x" * (push.app.state.settings.max_frame_bytes + 1))
        with pytest.raises(ConnectionClosedError):
            await asyncio.wait_for(ws.recv(), 10)
    assert ws.close_code == 1009


async def test_a_frame_announcing_16_mib_is_refused_from_its_header(push, js):
    """The client sends the header and 10 bytes; a server waiting for the rest would hang."""
    reader, writer = await asyncio.open_connection("127.0.0.1", push.port)
    writer.write(
        f"GET /ws?token={token_for(uuid4())} HTTP/1.1\r\nHost: 127.0.0.1:{push.port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode()
    )
    assert (await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)).startswith(b"HTTP/1.1 101")
    # FIN + text, masked, 64-bit length; a zero mask key leaves the payload as sent
    writer.write(b"\x81\xff" + struct.pack("!Q", 16 * 1024 * 1024) + b"\0\0\0\0" + b"x" * 10)
    await writer.drain()
    opcode_and_length = await asyncio.wait_for(reader.readexactly(2), 10)
    code = struct.unpack("!H", await reader.readexactly(2))[0]
    writer.close()
    assert opcode_and_length[0] == 0x88  # a close frame
    assert code == 1009
