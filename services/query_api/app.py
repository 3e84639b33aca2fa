"""create_app(): the Litestar application, its connections and its dependencies."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import psycopg
import psycopg_pool
from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from common import apidocs, auth, cache, db, http, http_metrics
from common.tracking import Tracker
from services.query_api import audit, hot, ops, params, routes
from services.query_api.reader import CHECKPOINT_KEY, Reader
from services.query_api.settings import Settings, from_env

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: Litestar) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    pool = await db.open_pool(settings.database_url)
    client = cache.connect(settings.valkey_url)
    tracker = Tracker(client, [hot.WATCHED, CHECKPOINT_KEY])
    app.state.copies.follow(tracker)
    app.state.reader = Reader(pool, cache.Cache(client), settings.wait_max_s, tracker)
    app.state.event_log = audit.EventLog(settings.nats_url)  # connects at the first audit read
    tracking = asyncio.create_task(tracker.run())
    try:
        yield
    finally:
        tracking.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await tracking
        await app.state.event_log.close()
        await pool.close()
        await client.aclose()


async def provide_reader(state: State) -> Reader:
    reader: Reader = state.reader
    return reader


async def provide_copies(state: State) -> hot.Copies:
    copies: hot.Copies = state.copies
    return copies


async def provide_caller(request: Request[Any, Any, Any], state: State) -> auth.Identity:
    return http.identity(request, state.settings.secret)


async def provide_after_seq(
    request: Request[Any, Any, Any],
    state: State,
    caller: NamedDependency[auth.Identity],
    asked_seq: Annotated[
        int,
        QueryParameter(
            name="after_seq",
            ge=0,
            description="Answer once the read models reflect the event stream up to this seq.",
        ),
    ] = 0,
) -> int:
    """The sequence the caller's read waits for: the highest of `after_seq`, the
    `grindstone_seq` cookie and what the command API noted for them (any client); 0 when the
    projector has reached it."""
    asked = params.after_seq(asked_seq, request.cookies.get(params.SEQ_COOKIE))
    reader: Reader = state.reader
    return await reader.target(caller.user_id, asked)


def handle_unavailable(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Postgres unreachable on a read Valkey could not answer: a 503 to retry, not a 500."""
    log.error("postgres unavailable: %s: %s", type(exc).__name__, exc)
    detail = "The service cannot reach its database right now; try again shortly."
    return http.error_response(503, "unavailable", detail, {"Retry-After": "5"})


EXCEPTION_HANDLERS: dict[Any, Any] = {
    **http.EXCEPTION_HANDLERS,
    psycopg.OperationalError: handle_unavailable,
    psycopg_pool.PoolTimeout: handle_unavailable,
}


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or from_env()
    copies = hot.Copies()
    app = Litestar(
        route_handlers=[
            *routes.HANDLERS,
            *audit.HANDLERS,
            *ops.HANDLERS,
            apidocs.document_route("query"),
            apidocs.docs_page,
            apidocs.docs_script,
        ],
        openapi_config=apidocs.config("query", "Reads: assignments, progress, submissions, runs."),
        lifespan=[lifespan],
        state=State({"settings": settings, "copies": copies}),
        dependencies={
            "reader": Provide(provide_reader),
            "copies": Provide(provide_copies),
            "caller": Provide(provide_caller),
            "after_seq": Provide(provide_after_seq),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=http.JsonRequest,
        logging_config=None,  # common.logs configures the process; keep its handlers
    )
    app.asgi_handler = hot.serve_copies(app.asgi_handler, copies, settings.secret)
    return http_metrics.instrument(app, "query_api")
