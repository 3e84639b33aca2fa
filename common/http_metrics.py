"""Request metrics of the HTTP services (requests and latencies by route and status) and their
`GET /metrics` route, on each service's own port: nginx proxies only /api/ and /ws, so the
public site never shows it."""

import time
from typing import Any

from litestar import Litestar, Response

from common import http, metrics

UNMATCHED = "unmatched"  # the route label of a request no route took (404, 405): bounded


def _families() -> tuple[metrics.Counter, metrics.Histogram]:
    requests = metrics.REGISTRY.counter(
        "grindstone_http_requests_total",
        "HTTP requests answered, by service, method, route template and status.",
        ("service", "method", "route", "status"),
    )
    latency = metrics.REGISTRY.histogram(
        "grindstone_http_request_duration_seconds",
        "Time from a request's arrival to the end of its answer, by service, method and route.",
        ("service", "method", "route"),
    )
    return requests, latency


async def get_metrics() -> Response[str]:
    text = await metrics.REGISTRY.render()
    return Response(text, media_type=metrics.CONTENT_TYPE)


def instrument(app: Litestar, service: str) -> Litestar:
    """Count and time every HTTP request the app answers, routed or not, and serve /metrics.
    Wraps the app's ASGI handler: Litestar's own middleware sees only routed requests."""
    requests, latency = _families()
    inner = app.asgi_handler
    # a handler object per app: Litestar gives each registered handler one owner
    app.register(http.get(metrics.PATH, include_in_schema=False)(get_metrics))

    async def timed(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await inner(scope, receive, send)
            return
        started, status = time.monotonic(), [500]

        async def watch(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await inner(scope, receive, watch)
        finally:
            route = scope.get("path_template") or UNMATCHED
            method = str(scope.get("method", ""))
            requests.inc(service=service, method=method, route=route, status=str(status[0]))
            latency.observe(time.monotonic() - started, service=service, method=method, route=route)

    app.asgi_handler = timed
    return app
