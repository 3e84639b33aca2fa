"""The push service's Litestar app: WebSocket `/ws` and its readiness check `/ws/health`."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Response, WebSocket, websocket
from litestar.datastructures import State
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from common import http
from common import nats as gnats
from services.push import session
from services.push.fanout import Fanout
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
    await session.serve(socket, state.fanout, state.js, state.settings)


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or from_env()

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        nc = await gnats.connect(settings.nats_url, "push")
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
            await nc.drain()

    return Litestar(
        route_handlers=[get_health, stream_updates],
        lifespan=[lifespan],
        exception_handlers=http.EXCEPTION_HANDLERS,
        state=State({"settings": settings}),
    )
