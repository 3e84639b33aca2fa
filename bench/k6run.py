"""The k6 scripts of bench/k6/ from Python: student tokens for them, one run, its summary.

Tokens are minted here with the run's secret (common/auth.py, as `grindstone token` does) and
handed to k6 in a JSON file that the scripts read once into a SharedArray.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from uuid import uuid4

from common import auth

K6 = Path(sys.executable).with_name("k6")
SCRIPTS = Path(__file__).with_name("k6")
# the percentiles kept for the latency plots, besides the figures of the table
PERCENTILES = (1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9)
TREND_STATS = ",".join(["min", "med", "avg", "max", *(f"p({p})" for p in PERCENTILES)])


class Result:
    def __init__(self, exit_code: int, summary: dict[str, Any], output: str) -> None:
        self.exit_code = exit_code
        self.metrics: dict[str, dict[str, float]] = summary.get("metrics", {})
        self.output = output

    def value(self, metric: str, stat: str, default: float = 0.0) -> float:
        return float(self.metrics.get(metric, {}).get(stat, default))


def mint_tokens(secret: str, count: int, folder: Path) -> Path:
    """`count` new students' tokens, one JSON array in `folder`."""
    path = folder / f"tokens-{count}.json"
    students = (auth.Identity(uuid4(), "student") for _ in range(count))
    path.write_text(json.dumps([auth.issue(secret, who) for who in students]))
    return path


def run(
    script: str, base_url: str, env: dict[str, str] | None = None, timeout_s: float = 600
) -> Result:
    """k6 run bench/k6/<script> against `base_url`; `env` gives the script's settings
    (DURATION, VUS, TOKENS, ASSIGNMENT_ID, ...). A failed threshold is a non-zero exit code."""
    with tempfile.TemporaryDirectory(prefix="grindstone-k6-") as folder:
        summary = Path(folder) / "summary.json"
        # no REST API server: its fixed port clashes with any other k6 running on the machine
        argv = [str(K6), "run", "--quiet", "--no-color", "--address", ""]
        argv += ["--summary-trend-stats", TREND_STATS]
        argv += ["--summary-export", str(summary), str(SCRIPTS / script)]
        k6_env = {**os.environ, "BASE_URL": base_url, "K6_NO_USAGE_REPORT": "true", **(env or {})}
        done = subprocess.run(
            argv, env=k6_env, capture_output=True, text=True, timeout=timeout_s, check=False
        )
        data = json.loads(summary.read_text()) if summary.exists() else {}
    return Result(done.returncode, data, done.stdout + done.stderr)
