"""infra/grafana/grindstone.json: valid JSON whose every query names series the code exports."""

import json
import re
from pathlib import Path

from common import http_metrics, metrics
from services.grader import telemetry as grader_telemetry
from services.projector import telemetry as projector_telemetry

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "infra" / "grafana" / "grindstone.json"
SUFFIXES = ("_bucket", "_sum", "_count")


def exported() -> set[str]:
    """Families in the process registry, and the gauges the collectors build at each scrape."""
    http_metrics._families()
    assert grader_telemetry.GRADED and projector_telemetry.APPLIED  # registered on import
    names = set(metrics.REGISTRY.families)
    source = (ROOT / "common" / "system_metrics.py").read_text()
    return names | set(re.findall(r'"(grindstone_[a-z_]+)"', source))


def test_every_panel_queries_series_that_exist() -> None:
    board = json.loads(DASHBOARD.read_text())
    queried = {
        re.sub(r"_(bucket|sum|count)$", "", name)
        for panel in board["panels"]
        for target in panel["targets"]
        for name in re.findall(r"grindstone_[a-z_]+", target["expr"])
    }
    assert queried <= exported()
    assert {
        "grindstone_http_requests_total",
        "grindstone_http_request_duration_seconds",
        "grindstone_consumer_pending",
        "grindstone_projector_lag_events",
        "grindstone_projector_lag_seconds",
        "grindstone_grader_graded_total",
        "grindstone_grader_grading_seconds",
        "grindstone_grader_sandbox_failures_total",
    } <= queried


def test_panels_do_not_overlap() -> None:
    spots = [
        (p["gridPos"]["x"], p["gridPos"]["y"]) for p in json.loads(DASHBOARD.read_text())["panels"]
    ]
    assert len(spots) == len(set(spots))
