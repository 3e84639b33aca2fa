"""The workers' metrics listener (common.metrics.listener) on a real socket."""

import asyncio

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
