"""The push service's Litestar app: WebSocket `/ws` and its readiness check `/ws/health`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from litestar import Litestar, Response, WebSocket, websocket
from litestar.datastructures import State
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from common import cache, http, http_metrics
from common import nats as gnats
from services.push import session
from services.push.fanout import Fanout
from services.push.leases import Leases
from services.push.settings import Settings, from_env


@http.get("/ws/health", sync_to_thread=False)
def get_health(state: State) -> Response[Any]:
    if state.fanout.failed:
        detail = "The event subscription stopped; this process needs a restart."
        return http.error_response(HTTP_503_SERVICE_UNAVAILABLE, "unavailable", detail)
    return Response({"ok": True})


@websocket("/ws")
async def stream_updates(socket: WebSocket[Any, Any, Any]) -> None:
    state = socket.app.state
    await session.serve(socket, state.fanout, state.js, state.settings, state.leases)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or from_env()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        nc = await gnats.connect(settings.nats_url, "push")
        client = cache.connect(settings.valkey_url)
        most, lease_s = settings.max_connections_per_student, settings.connection_lease_s
        app.state.leases = Leases(client, most, lease_s)
        try:
            js = nc.jetstream()
            await gnats.ensure_streams(js)
            fanout = Fanout(js, settings.cache_size)
            await fanout.start()
            app.state.update(js=js, fanout=fanout)
            try:
                yield
            finally:
                await fanout.stop()
        finally:
            await client.aclose()
            await nc.drain()

    app = Litestar(
        route_handlers=[get_health, stream_updates],
        lifespan=[lifespan],
        exception_handlers=http.EXCEPTION_HANDLERS,
        state=State({"settings": settings}),
    )
    return http_metrics.instrument(app, "push")


GRACE_S = 5  # a handler stuck on a dead peer never holds a shutdown for good


def server_config(settings: Settings) -> uvicorn.Config:
    """uvicorn serving the app: a client message over `max_frame_bytes` is refused with close
    1009 as soon as its frame header names its size, so it is never read whole. On shutdown,
    connections get close 1012 and GRACE_S to end before their handlers are cancelled."""
    return uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        ws_max_size=settings.max_frame_bytes,
        timeout_graceful_shutdown=GRACE_S,
    )
