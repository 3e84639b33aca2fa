"""One WebSocket client: authenticate, catch up from `?after=`, then forward live messages.

No gap, no duplicate: `after` is capped at the student's last sequence, then the connection is
registered (its queue buffering live messages), then that last sequence is read again; the
replay sends every event up to it, then the buffer is drained skipping what the replay covered.
Any valid token is accepted (staff simply have no submissions). A cookie-authenticated
handshake from a foreign Origin is refused before it is accepted (HTTP 403). Close codes: 4401
no or bad credentials, 4400 malformed `after`, 4429 too many live connections for the student
(`leases.py`), 1009 a client message over `max_frame_bytes` (uvicorn refuses it from its frame
header, never reading it whole), 1013 too far behind, 1011 live updates unavailable, 1001/1012
server going away.
"""

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import nats.errors
from litestar import WebSocket
from litestar.exceptions import WebSocketDisconnect
from nats.js import JetStreamContext

from common import auth, crosssite
from services.push import catchup, view
from services.push.fanout import CLOSE_INTERNAL, Closing, Connection, Fanout
from services.push.leases import Leases
from services.push.settings import Settings

log = logging.getLogger(__name__)

CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_MANY = 4429
CLIENT_GONE = (WebSocketDisconnect, OSError)  # uvicorn's ClientDisconnected is an OSError
REPLAY_FAILED = (nats.errors.Error, TimeoutError)


def identify(socket: WebSocket[Any, Any, Any], secret: str) -> auth.Identity | None:
    """Bearer header or session cookie, else the `token` query parameter (for scripts)."""
    who = auth.from_request(
        secret, socket.headers.get("authorization"), socket.cookies.get(auth.COOKIE)
    )
    token = socket.query_params.get("token")
    return who if who is not None or not token else auth.verify(secret, token)


def _foreign(socket: WebSocket[Any, Any, Any], settings: Settings) -> str | None:
    """The Origin of a cookie-authenticated handshake from a page not ours (contract's
    cross-site rules); a `?token=` or Bearer client is not a browser page."""
    if socket.query_params.get("token"):
        return None
    allowed = crosssite.allowed_origins(settings.allowed_origins)
    return crosssite.foreign_origin(socket.headers, socket.url.scheme, allowed)


def parse_after(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(raw)
    return int(raw)


async def serve(
    socket: WebSocket[Any, Any, Any],
    fanout: Fanout,
    js: JetStreamContext,
    settings: Settings,
    leases: Leases,
) -> None:
    origin = _foreign(socket, settings)
    if origin is not None:  # the handshake is refused (HTTP 403), never accepted
        await socket.close(CLOSE_FORBIDDEN, f"A page of {origin} may not open this stream.")
        return
    admitted = await _admit(socket, fanout, js, settings.secret)
    if admitted is None:
        return
    user_id, after = admitted
    lease = await leases.admit(user_id)
    if lease is None:
        await _refuse(socket, CLOSE_TOO_MANY, _too_many(leases.most))
        return
    conn = Connection(user_id, settings.queue_size)
    fanout.router.add(conn)  # before the handshake ends: nothing appended later is missed
    try:
        await socket.accept()
        forward = _forward(socket, js, conn, after, settings.cache_size)
        await _pump(socket, forward, leases.keep(user_id, lease))
    finally:
        fanout.router.remove(conn)
        await leases.release(user_id, lease)


def _too_many(most: int) -> str:
    return f"You have {most} live connections open, the most allowed; close one, then retry."


async def _admit(
    socket: WebSocket[Any, Any, Any], fanout: Fanout, js: JetStreamContext, secret: str
) -> tuple[str, int | None] | None:
    """The student and where to resume from; or None, the socket closed with a reason."""
    who = identify(socket, secret)
    if who is None:
        reason = "Sign in first: send the session cookie, a Bearer token or ?token=."
        await _refuse(socket, CLOSE_UNAUTHORIZED, reason)
        return None
    if fanout.failed:
        await _refuse(socket, CLOSE_INTERNAL, "Live updates stopped; try again later.")
        return None
    return await _resume_point(socket, js, str(who.user_id))


async def _resume_point(
    socket: WebSocket[Any, Any, Any], js: JetStreamContext, user_id: str
) -> tuple[str, int | None] | None:
    try:
        after = parse_after(socket.query_params.get("after"))
        if after is not None:
            # read before registering: a client naming a sequence past its own last event
            # (one left from an older stream, say) still gets every event from now on
            after = min(after, await catchup.last_seq(js, user_id))
    except ValueError:
        reason = "`after` must be a stream sequence: a whole number, 0 or more."
        await _refuse(socket, CLOSE_BAD_REQUEST, reason)
        return None
    except REPLAY_FAILED:
        log.exception("reading a student's last sequence failed")
        await _refuse(socket, CLOSE_INTERNAL, "Could not read missed events; reconnect.")
        return None
    return user_id, after


async def _refuse(socket: WebSocket[Any, Any, Any], code: int, reason: str) -> None:
    await socket.accept()
    await socket.close(code, reason)


async def _forward(
    socket: WebSocket[Any, Any, Any],
    js: JetStreamContext,
    conn: Connection,
    after: int | None,
    cache_size: int,
) -> None:
    sent_up_to = 0
    if after is not None:
        try:
            sent_up_to = await _catch_up(socket, js, conn.user_id, after, cache_size)
        except REPLAY_FAILED:
            log.exception("catching a connection up failed")
            await socket.close(CLOSE_INTERNAL, "Could not replay missed events; reconnect.")
            return
    while True:
        item = await conn.queue.get()
        if isinstance(item, Closing):
            await socket.close(item.code, item.reason)
            return
        seq, text = item
        if seq is None or seq > sent_up_to:  # a run's message is never in the catch-up
            await socket.send_text(text)


async def _catch_up(
    socket: WebSocket[Any, Any, Any], js: JetStreamContext, user_id: str, after: int, size: int
) -> int:
    """Send the student's messages after `after`; returns the sequence live ones start after."""
    until = await catchup.last_seq(js, user_id)

    async def send(message: view.Message) -> None:
        await socket.send_text(view.to_json(message))

    await catchup.replay(js, user_id, after, until, send, cache_size=size)
    return until  # at least `after`: that was capped at an earlier read of the same sequence


async def _pump(
    socket: WebSocket[Any, Any, Any],
    forward: Coroutine[Any, Any, None],
    keep_lease: Coroutine[Any, Any, None],
) -> None:
    """Forward messages until either side stops; whatever the client sends is ignored."""
    tasks = {
        asyncio.create_task(forward),
        asyncio.create_task(_until_client_leaves(socket)),
        asyncio.create_task(keep_lease),
    }
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for task in done:
        exc = task.exception()
        if exc is not None and not isinstance(exc, CLIENT_GONE):
            raise exc


async def _until_client_leaves(socket: WebSocket[Any, Any, Any]) -> None:
    while (await socket.receive())["type"] != "websocket.disconnect":
        pass
