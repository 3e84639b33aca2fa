"""common.metrics: families, the exposition text, collectors; the grader's failure layers."""

import asyncio

import pytest

from common import metrics
from services.grader import telemetry
from tests import metrics_format


def registry() -> metrics.Registry:
    return metrics.Registry()


async def test_counters_gauges_and_histograms_render_as_valid_exposition() -> None:
    reg = registry()
    reg.counter("jobs_total", "Jobs.", ("status",)).inc(status="passed")
    reg.counter("jobs_total", "Jobs.", ("status",)).inc(2, status='a "quoted"\\ \nvalue')
    reg.gauge("slots", "Slots.").set(8)
    hist = reg.histogram("job_seconds", "Job time.", ("status",), buckets=(0.1, 1.0))
    for seconds in (0.05, 0.5, 3.0):
        hist.observe(seconds, status="passed")
    kinds, series = metrics_format.parse(await reg.render())
    assert kinds == {"jobs_total": "counter", "slots": "gauge", "job_seconds": "histogram"}
    assert metrics_format.value(series, "jobs_total", status="passed") == 1
    assert metrics_format.value(series, "jobs_total") == 3
    assert metrics_format.value(series, "slots") == 8
    assert metrics_format.value(series, "job_seconds_bucket", le="0.1") == 1
    assert metrics_format.value(series, "job_seconds_bucket", le="1") == 2
    assert metrics_format.value(series, "job_seconds_bucket", le="+Inf") == 3
    assert metrics_format.value(series, "job_seconds_sum") == pytest.approx(3.55)


async def test_a_family_asked_for_again_is_the_same_one() -> None:
    reg = registry()
    assert reg.counter("c_total", "C.") is reg.counter("c_total", "C.")
    with pytest.raises(ValueError, match="already a counter"):
        reg.gauge("c_total", "C.")
    with pytest.raises(ValueError, match="not a metric"):
        reg.counter("bad name", "B.")


async def test_series_beyond_the_limit_are_dropped() -> None:
    counter = registry().counter("many_total", "Many.", ("id",))
    for n in range(metrics.MAX_SERIES + 5):
        counter.inc(id=str(n))
    assert len(counter.values) == metrics.MAX_SERIES


async def test_collectors_report_at_each_scrape_and_a_failing_one_is_left_out() -> None:
    reg = registry()
    depth = [3]

    async def queue() -> list[metrics.Family]:
        gauge = metrics.gauge_family("queue_depth", "Depth.")
        gauge.set(depth[0])
        return [gauge]

    async def broken() -> list[metrics.Family]:
        raise RuntimeError("NATS away")

    reg.add_collector(queue)
    reg.add_collector(broken)
    _, first = metrics_format.parse(await reg.render())
    depth[0] = 5
    _, second = metrics_format.parse(await reg.render())
    assert metrics_format.value(first, "queue_depth") == 3
    assert metrics_format.value(second, "queue_depth") == 5


def test_a_sandbox_failure_is_counted_by_its_layer() -> None:
    assert telemetry.layer_of("the sandbox failed: [Errno 32] Broken pipe") == "zygote"
    assert telemetry.layer_of("the judge did not finish in time") == "judge_deadline"
    assert telemetry.layer_of("the judge failed: landlock_restrict_self: EPERM") == "landlock"
    assert telemetry.layer_of("the judge failed: KeyError 'x'") == "judge"


async def test_a_collector_slower_than_the_limit_is_left_out(monkeypatch) -> None:
    monkeypatch.setattr(metrics, "COLLECT_TIMEOUT_S", 0.01)
    reg = metrics.Registry()
    reg.counter("kept_total", "Kept.").inc()

    async def stuck() -> list[metrics.Family]:
        await asyncio.Event().wait()
        return []

    reg.add_collector(stuck)
    _, series = metrics_format.parse(await reg.render())
    assert metrics_format.value(series, "kept_total") == 1
