"""Prometheus metrics: counters, gauges and histograms in one registry per process, written in
the text exposition format (version 0.0.4), and the small HTTP listener the workers serve it on
(with their /health for probes).

One registry per process, like prometheus_client's: code deep in a service (the sandbox, the
projector's batches) counts without being handed an object. Families are created once by name
(`REGISTRY.counter(...)` again returns the same one), so importing twice or building several
apps in one test process is harmless. Figures that are read rather than counted (lag, queue
depth) come from collectors: async functions run at each scrape.
"""

import asyncio
import contextlib
import json
import logging
import math
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import TypeVar

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PATH = "/metrics"
HEALTH_PATH = "/health"
JSON = "application/json"
# seconds: requests answer in milliseconds, gradings take up to the wall limit (5 s by default)
DEFAULT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
COLLECT_TIMEOUT_S = 5.0  # a collector that takes longer is left out of that scrape
MAX_SERIES = 1_000  # label combinations per family; beyond it new ones are dropped (and logged)
NOT_FOUND = b'{"error": "not_found", "detail": "Only /metrics and /health are served here."}'
_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")

Labels = tuple[str, ...]
Sample = tuple[str, dict[str, str], float]  # (name, labels, value)
Collector = Callable[[], Awaitable[list["Family"]]]
Health = Callable[[], str | None]  # None: healthy; else what is wrong, in a sentence
F = TypeVar("F", bound="Family")


class Family:
    """One metric: its name, help, type and a value (or histogram) per label combination."""

    def __init__(self, name: str, help_text: str, kind: str, labels: Sequence[str] = ()) -> None:
        if not _NAME.match(name) or not all(_NAME.match(label) for label in labels):
            raise ValueError(f"not a metric or label name: {name} {labels}")
        self.name, self.help, self.kind, self.labels = name, help_text, kind, tuple(labels)
        self.values: dict[Labels, float] = {}

    def _key(self, labels: dict[str, str]) -> Labels | None:
        key = tuple(str(labels.get(label, "")) for label in self.labels)
        if key not in self.values and len(self.values) >= MAX_SERIES:
            log.warning("metric %s: more than %d series, %s dropped", self.name, MAX_SERIES, key)
            return None
        return key

    def samples(self) -> Iterable[Sample]:
        for key, value in sorted(self.values.items()):
            yield self.name, dict(zip(self.labels, key, strict=True)), value


class Counter(Family):
    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, "counter", labels)

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = self._key(labels)
        if key is not None:
            self.values[key] = self.values.get(key, 0.0) + amount


class Gauge(Family):
    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        super().__init__(name, help_text, "gauge", labels)

    def set(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        if key is not None:
            self.values[key] = value


class Histogram(Family):
    def __init__(
        self,
        name: str,
        help_text: str,
        labels: Sequence[str] = (),
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> None:
        super().__init__(name, help_text, "histogram", labels)
        self.buckets = tuple(sorted(buckets))
        self.counts: dict[Labels, list[int]] = {}  # per bucket, then +Inf

    def observe(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        if key is None:
            return
        counts = self.counts.setdefault(key, [0] * (len(self.buckets) + 1))
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                counts[i] += 1
        counts[-1] += 1
        self.values[key] = self.values.get(key, 0.0) + value  # the sum

    def samples(self) -> Iterable[Sample]:
        for key, counts in sorted(self.counts.items()):
            labels = dict(zip(self.labels, key, strict=True))
            for bound, count in zip((*self.buckets, math.inf), counts, strict=True):
                yield f"{self.name}_bucket", {**labels, "le": _number(bound)}, count
            yield f"{self.name}_sum", labels, self.values[key]
            yield f"{self.name}_count", labels, counts[-1]


class Registry:
    def __init__(self) -> None:
        self.families: dict[str, Family] = {}
        self.collectors: list[Collector] = []

    def _known(self, kind: type[F], name: str) -> F | None:
        found = self.families.get(name)
        if found is not None and not isinstance(found, kind):
            raise ValueError(f"metric {name} is already a {found.kind}")
        return found

    def counter(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Counter:
        found = self._known(Counter, name) or Counter(name, help_text, labels)
        self.families[name] = found
        return found

    def gauge(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Gauge:
        found = self._known(Gauge, name) or Gauge(name, help_text, labels)
        self.families[name] = found
        return found

    def histogram(
        self,
        name: str,
        help_text: str,
        labels: Sequence[str] = (),
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> Histogram:
        found = self._known(Histogram, name) or Histogram(name, help_text, labels, buckets)
        self.families[name] = found
        return found

    def add_collector(self, collector: Collector) -> None:
        self.collectors.append(collector)

    def remove_collector(self, collector: Collector) -> None:
        with contextlib.suppress(ValueError):
            self.collectors.remove(collector)

    async def render(self) -> str:
        """Every family, then what each collector reports now, in the exposition format."""
        families = list(self.families.values())
        for collector in list(self.collectors):
            try:
                families += await asyncio.wait_for(collector(), COLLECT_TIMEOUT_S)
            except Exception as exc:  # a scrape still answers with what it has
                log.warning("metrics collector failed: %s: %s", type(exc).__name__, exc)
        return "".join(_family_text(f) for f in families)


REGISTRY = Registry()  # the process's


def gauge_family(name: str, help_text: str, labels: Sequence[str] = ()) -> Gauge:
    """A gauge outside the registry, for a collector to fill and return."""
    return Gauge(name, help_text, labels)


def _family_text(family: Family) -> str:
    lines = [f"# HELP {family.name} {_help(family.help)}", f"# TYPE {family.name} {family.kind}"]
    for name, labels, value in family.samples():
        inner = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
        lines.append(f"{name}{{{inner}}} {_number(value)}" if inner else f"{name} {_number(value)}")
    return "\n".join(lines) + "\n"


def _help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if math.isnan(value):
        return "NaN"
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@contextlib.asynccontextmanager
async def listener(
    port: int,
    registry: Registry = REGISTRY,
    *,
    host: str = "127.0.0.1",
    health: Health | None = None,
) -> AsyncIterator[int | None]:
    """Serve GET /metrics and GET /health on `host`:`port` while inside (port 0: off, yields
    None). Yields the port served. Loopback by default: scrapers run on the host, the public
    site never proxies it; in a container the probes come from outside (host 0.0.0.0).

    /health answers 200 while `health` finds no problem, else 503 with it; a worker whose event
    loop is stuck does not answer at all, which a probe counts as a failure too."""
    if not port:
        yield None
        return

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(COLLECT_TIMEOUT_S * 2):
                request = await reader.readuntil(b"\r\n\r\n")
                method, path, *_ = [*request.split(b" ", 2), b"", b""]
                status, kind, body = await _response(method, path, registry, health)
                head = (
                    f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                )
                writer.write(head.encode() + (b"" if method == b"HEAD" else body))
                await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, OSError):
            pass  # a client that went away or sent nonsense gets nothing more
        finally:
            writer.close()

    server = await asyncio.start_server(answer, host, port, limit=8192)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def _response(
    method: bytes, path: bytes, registry: Registry, health: Health | None
) -> tuple[str, str, bytes]:
    """(status line, content type, body) for one request to the listener."""
    route = path.split(b"?")[0].decode("latin-1")
    if method not in (b"GET", b"HEAD") or route not in (PATH, HEALTH_PATH):
        return "404 Not Found", JSON, NOT_FOUND
    if route == PATH:
        return "200 OK", CONTENT_TYPE, (await registry.render()).encode()
    problem = health() if health is not None else None
    if problem is None:
        return "200 OK", JSON, b'{"ok": true}'
    body = json.dumps({"error": "unavailable", "detail": problem}).encode()
    return "503 Service Unavailable", JSON, body
