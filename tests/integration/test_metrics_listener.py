"""The workers' metrics listener (common.metrics.listener) on a real socket."""

import asyncio
import json

from common import embedded, metrics
from tests import metrics_format


async def test_the_listener_serves_metrics_and_nothing_else() -> None:
    reg = metrics.Registry()
    reg.counter("hits_total", "Hits.").inc()
    async with metrics.listener(embedded.free_port(), reg) as port:
        assert port
        status, head, body = await fetch(port, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 200 and metrics.CONTENT_TYPE in head
        assert metrics_format.value(metrics_format.parse(body)[1], "hits_total") == 1
        status, _, body = await fetch(port, "GET /other HTTP/1.1\r\n\r\n")
        assert status == 404 and '"error"' in body


async def test_port_0_serves_nothing() -> None:
    async with metrics.listener(0) as port:
        assert port is None


async def fetch(port: int, request: str) -> tuple[int, str, str]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request.encode())
    raw = (await reader.read()).decode()
    writer.close()
    head, _, body = raw.partition("\r\n\r\n")
    return int(head.split()[1]), head, body


async def test_health_answers_200_until_the_check_names_a_problem() -> None:
    problems: list[str] = []
    check = lambda: problems[-1] if problems else None  # noqa: E731
    async with metrics.listener(embedded.free_port(), health=check) as port:
        assert port
        status, _, body = await fetch(port, "GET /health HTTP/1.1\r\n\r\n")
        assert (status, json.loads(body)) == (200, {"ok": True})
        problems.append("The worker's loop has ended.")
        status, _, body = await fetch(port, "GET /health HTTP/1.1\r\n\r\n")
        assert status == 503
        assert json.loads(body) == {"error": "unavailable", "detail": problems[-1]}


async def test_the_listener_serves_the_host_it_is_given() -> None:
    async with metrics.listener(embedded.free_port(), host="0.0.0.0") as port:
        assert port
        status, _, _ = await fetch(port, "GET /health HTTP/1.1\r\n\r\n")
        assert status == 200  # no check given: answering at all is the health
