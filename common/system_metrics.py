"""Queue and projector lag as Prometheus gauges, read at each scrape from the servers
(common/systemstate.py): the grader's and the projector's metrics listeners report them."""

from datetime import UTC, datetime
from typing import Any

from nats.js import JetStreamContext
from psycopg_pool import AsyncConnectionPool

from common import metrics, systemstate
from events import subjects


def collector(
    js: JetStreamContext, pool: AsyncConnectionPool[Any] | None = None
) -> metrics.Collector:
    """Each durable consumer's pending, ack-pending and redelivered messages; with `pool`, each
    projection's lag in events and seconds too."""

    async def collect() -> list[metrics.Family]:
        streams = await systemstate.stream_states(js)
        found: list[metrics.Family] = _queues(streams)
        if pool is not None:
            last = next((s.last_seq for s in streams if s.name == subjects.EVENTS_STREAM), 0)
            lags = await systemstate.projection_lags(js, pool, last, datetime.now(UTC))
            found += _lags(lags)
        return found

    return collect


def _queues(streams: list[systemstate.StreamState]) -> list[metrics.Family]:
    labels = ("stream", "consumer")
    pending = metrics.gauge_family(
        "grindstone_consumer_pending", "Messages not yet delivered to a durable consumer.", labels
    )
    acking = metrics.gauge_family(
        "grindstone_consumer_ack_pending", "Messages delivered, not yet acknowledged.", labels
    )
    again = metrics.gauge_family(
        "grindstone_consumer_redelivered",
        "Messages delivered more than once, unacknowledged.",
        labels,
    )
    stored = metrics.gauge_family(
        "grindstone_stream_messages", "Messages in a stream.", ("stream",)
    )
    for stream in streams:
        stored.set(stream.messages, stream=stream.name)
        for c in (c for c in stream.consumers if c.durable):
            pending.set(c.pending, stream=stream.name, consumer=c.name)
            acking.set(c.ack_pending, stream=stream.name, consumer=c.name)
            again.set(c.redelivered, stream=stream.name, consumer=c.name)
    return [pending, acking, again, stored]


def _lags(lags: list[systemstate.ProjectionLag]) -> list[metrics.Family]:
    events = metrics.gauge_family(
        "grindstone_projector_lag_events",
        "EVENTS' last sequence minus the projection's checkpoint.",
        ("projection",),
    )
    seconds = metrics.gauge_family(
        "grindstone_projector_lag_seconds",
        "Age of the oldest event the projection has not applied.",
        ("projection",),
    )
    for lag in lags:
        events.set(lag.lag_events, projection=lag.projection)
        seconds.set(lag.lag_s, projection=lag.projection)
    return [events, seconds]
