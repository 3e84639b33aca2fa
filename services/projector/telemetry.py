"""The projector's metrics: events applied and batch times (served on PROJECTOR_METRICS_PORT
with each projection's lag, common/system_metrics.py)."""

from common import metrics

APPLIED = metrics.REGISTRY.counter(
    "grindstone_projector_events_total", "Stream messages the projector committed past."
)
BATCH = metrics.REGISTRY.histogram(
    "grindstone_projector_batch_seconds",
    "Time to apply one batch, commit it and refresh the cache.",
)


def batch_done(messages: int, seconds: float) -> None:
    APPLIED.inc(messages)
    BATCH.observe(seconds)
