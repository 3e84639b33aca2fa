"""create_app(): the command API's Litestar app, its lifespan (NATS, Valkey) and wiring."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import nats.errors
import valkey.exceptions
from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide

from common import apidocs, auth, cache, crosssite, http, http_metrics
from common import nats as gnats
from events import subjects
from services.command_api import assignments, ops
from services.command_api import settings as settings_module
from services.command_api.decide import Rejected
from services.command_api.flows import Backend
from services.command_api.publisher import EventPublisher
from services.command_api.ratelimit import RateLimiter
from services.command_api.routes import ROUTES
from services.command_api.settings import Settings
from services.command_api.state import StreamReader

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    nc = await gnats.connect(settings.nats_url, "command_api")
    client = cache.connect(settings.valkey_url)
    try:
        js = nc.jetstream()
        await gnats.ensure_streams(js)
        verdicts = await js.key_value(subjects.VERDICT_CACHE_BUCKET)
        app.state.nc = nc
        copies = await assignments.started(js)
        app.state.backend = Backend(StreamReader(js, verdicts, copies), EventPublisher(js, client))
        app.state.limiter = RateLimiter(client, settings)
        try:
            yield
        finally:
            await copies.stop()
    finally:
        await client.aclose()
        await nc.close()


def provide_settings(state: State) -> Settings:
    return state.settings  # type: ignore[no-any-return]


def provide_backend(state: State) -> Backend:
    return state.backend  # type: ignore[no-any-return]


def provide_limiter(state: State) -> RateLimiter:
    return state.limiter  # type: ignore[no-any-return]


def provide_student(
    request: Request[Any, Any, Any], settings: NamedDependency[Settings]
) -> auth.Identity:
    """The caller, who must hold a student token (a 401 or 403 otherwise)."""
    who = http.identity(request, settings.secret)
    http.require_role(who, "student")
    return who


def handle_rejected(_: Request[Any, Any, Any], exc: Rejected) -> Response[Any]:
    return http.error_response(exc.status, exc.code, exc.detail)


def handle_unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("a backing server failed: %s: %s", type(exc).__name__, exc)
    detail = "The service cannot reach its event store or cache right now; try again shortly."
    return http.error_response(503, "unavailable", detail, {"Retry-After": "5"})


EXCEPTION_HANDLERS: dict[Any, Any] = {
    **http.EXCEPTION_HANDLERS,
    Rejected: handle_rejected,
    nats.errors.Error: handle_unavailable,
    valkey.exceptions.ConnectionError: handle_unavailable,
    valkey.exceptions.TimeoutError: handle_unavailable,
}


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or settings_module.from_env()
    if not settings.secret:
        raise ValueError("no server secret configured: set GRINDSTONE_SECRET")
    allowed = crosssite.allowed_origins(settings.allowed_origins)

    async def cross_site(request: Request[Any, Any, Any]) -> None:
        if not request.url.path.endswith("/health"):
            crosssite.check_write(request.method, request.headers, request.url.scheme, allowed)

    app = Litestar(
        before_request=cross_site,
        route_handlers=[*ROUTES, *ops.HANDLERS, apidocs.document_route("command")],
        lifespan=[lifespan],
        state=State({"settings": settings}),
        dependencies={
            "settings": Provide(provide_settings, sync_to_thread=False),
            "backend": Provide(provide_backend, sync_to_thread=False),
            "limiter": Provide(provide_limiter, sync_to_thread=False),
            "student": Provide(provide_student, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=http.JsonRequest,
        openapi_config=apidocs.config("command", "Writes: sessions, submissions, runs, deletions."),
    )
    return http_metrics.instrument(app, "command_api")
