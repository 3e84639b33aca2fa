"""`just bench`: the k6 load tests (bench/k6/) against the development and production
configurations, each figure beside its baselines measured in the same run (the commit issue 12
starts from, in its own clone; a bare Litestar endpoint; nginx serving a static file); writes
PERFORMANCE.md and the plots in docs/performance/.

    python -m bench.perf [--quick] [--repeats 3] [--duration 10s]
"""

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import baselines, cpu, k6run, perf_report, profiles, start_commit
from bench.e2e import load_trivial
from common import embedded
from grindstone_cli import processes, stack

UNLIMITED = start_commit.UNLIMITED
STATIC_FILE = processes.ROOT / "web" / "dist" / "index.html"
QUIET_CORES = 0.15  # below this the system has finished the work a run left queued


@dataclass
class Options:
    repeats: int = 3
    duration: str = "10s"
    vus: int = 10
    rate: int = 50
    students: int = 100
    clients: int = 1000
    hold: str = "20s"
    graders: tuple[int, ...] = (1, 2, 3, 4)
    start_commit: bool = True
    profile: bool = True
    failures: list[str] = field(default_factory=list)  # runs whose thresholds were crossed


@dataclass
class Target:
    """A system the scripts run against."""

    name: str
    url: str
    secret: str
    assignment_id: str
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def seconds(duration: str) -> float:
    return float(duration[:-1]) * (60 if duration.endswith("m") else 1)


def k6(script: str, url: str, env: dict[str, str], opts: Options) -> k6run.Result:
    """A run whose thresholds fail is kept (its figures stand) and reported with what failed."""
    result = k6run.run(script, url, env)
    if result.exit_code != 0:
        lines = result.output.splitlines()
        marks = ("✗", "level=error", "level=warning", "↳")
        failed = list(
            dict.fromkeys(line.strip() for line in lines if any(m in line for m in marks))
        )
        opts.failures.append(
            f"{script} against {url} (exit {result.exit_code}): " + "; ".join(failed[:8])
        )
        log(f"  FAILED: {opts.failures[-1]}")
        if not result.metrics:
            raise RuntimeError(f"k6 {script} gave no summary:\n{result.output[-3000:]}")
    return result


def latency(result: k6run.Result, metric: str) -> dict[str, Any]:
    return {
        "p50": result.value(metric, "med"),
        "p95": result.value(metric, "p(95)"),
        "p99": result.value(metric, "p(99)"),
        "percentiles": {p: result.value(metric, f"p({p})") for p in k6run.PERCENTILES},
    }


def wait_quiet(limit_s: float = 180) -> None:
    """Until the processes this run started use less than QUIET_CORES (the grader's backlog
    from a submit run is done), at most `limit_s`."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before = cpu.snapshot()
        time.sleep(1)
        used = cpu.split(before, cpu.snapshot())
        used.pop("bench client", None)
        if sum(used.values()) < QUIET_CORES:
            return
    log(f"  still busy after {limit_s:.0f} s; going on")


def http_path(
    script: str, url: str, env: dict[str, str], opts: Options, tokens: tuple[str, int] | None
) -> dict[str, Any]:
    """Median of `repeats` runs by requests/s; its latencies. `tokens` (secret, count) mints
    new students for each run."""
    runs = []
    for n in range(opts.repeats):
        with tempfile.TemporaryDirectory(prefix="grindstone-tokens-") as folder:
            run_env = {**env, "VUS": str(opts.vus), "DURATION": opts.duration}
            if tokens is not None:
                secret, count = tokens
                run_env["TOKENS"] = str(k6run.mint_tokens(secret, count, Path(folder)))
            result = k6(script, url, run_env, opts)
        rps = result.value("http_reqs", "rate")
        log(f"  {script} run {n + 1}/{opts.repeats}: {rps:,.0f} req/s")
        runs.append((rps, result))
    rps, median = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    return {"rps": rps, "runs": [r for r, _ in runs], **latency(median, "http_req_duration")}


def suite(target: Target, opts: Options, capacity: bool = False) -> None:
    """Every script against one system; figures go to `target.figures`."""
    env = {"ASSIGNMENT_ID": target.assignment_id}
    student = (target.secret, opts.vus)
    log(f"{target.name}: assignment page and its assets (pages.js)")
    target.figures["pages"] = http_path("pages.js", target.url, env, opts, None)
    log(f"{target.name}: GET /api/assignments/{{id}} (assignment_api.js)")
    target.figures["assignment_api"] = http_path(
        "assignment_api.js", target.url, env, opts, student
    )
    with tempfile.TemporaryDirectory(prefix="grindstone-tokens-") as folder:
        mint = lambda count: str(k6run.mint_tokens(target.secret, count, Path(folder)))  # noqa: E731
        log(f"{target.name}: submit -> graded push at {opts.rate}/s (e2e.js)")
        e2e_env = {**env, "MODE": "rate", "RATE": str(opts.rate), "DURATION": opts.duration}
        count = int(opts.rate * seconds(opts.duration) * 1.2) + 10
        result = k6("e2e.js", target.url, {**e2e_env, "TOKENS": mint(count)}, opts)
        target.figures["e2e"] = latency(result, "submit_to_push")
        target.figures["e2e"]["graded"] = result.value("graded", "count")
        log(f"  p50 {result.value('submit_to_push', 'med'):.1f} ms")
        target.figures["graded"] = graded_per_second(target, opts, mint, capacity)
        log(f"{target.name}: {opts.clients} WebSocket clients (ws_fanout.js)")
        fan_env = {**env, "CLIENTS": str(opts.clients), "HOLD": opts.hold}
        result = k6("ws_fanout.js", target.url, {**fan_env, "TOKENS": mint(opts.clients)}, opts)
        target.figures["fanout"] = latency(result, "ws_delivery")
        target.figures["fanout"]["messages"] = result.value("messages_delivered", "count")
        log(f"  p99 {result.value('ws_delivery', 'p(99)'):.1f} ms")
    wait_quiet()
    log(f"{target.name}: POST /api/submissions, a new student each (submit.js)")
    new_students = (target.secret, int(6000 * seconds(opts.duration)))
    target.figures["submit"] = http_path("submit.js", target.url, env, opts, new_students)


def graded_per_second(
    target: Target, opts: Options, mint: Any, capacity: bool = False, quiet: bool = True
) -> dict[str, Any]:
    """`students` submitting back to back for `duration`; every accepted one must come back
    graded. With `capacity`, the CPU each component spent on it. `quiet=False`: the caller
    waited for an idle system already (and started sampling: the load must follow at once)."""
    log(f"{target.name}: {opts.students} students submitting back to back (e2e.js)")
    env = {"ASSIGNMENT_ID": target.assignment_id, "MODE": "students", "DURATION": opts.duration}
    env.update(STUDENTS=str(opts.students), TOKENS=mint(opts.students))
    if quiet:
        wait_quiet()
    before, start = cpu.snapshot(), time.monotonic()
    result = k6("e2e.js", target.url, env, opts)
    wall, used = time.monotonic() - start, cpu.split(before, cpu.snapshot())
    graded, accepted = result.value("graded", "count"), result.value("accepted", "count")
    figure = {"rate": result.value("graded", "rate"), "graded": graded, "lost": accepted - graded}
    log(f"  {figure['rate']:.0f} graded/s ({graded:.0f} graded, {figure['lost']:.0f} lost)")
    if capacity:
        figure["cpu_s"], figure["wall_s"] = used, wall
    return figure


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def machine() -> dict[str, str]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpuinfo.splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "cpu": model,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": subprocess.run(["uname", "-sr"], capture_output=True, text=True).stdout.strip(),
        "load_before": load_average(),
        "k6": subprocess.run([str(k6run.K6), "version"], capture_output=True, text=True)
        .stdout.split("(")[0]
        .strip(),
    }


@contextlib.contextmanager
def grindstone(
    name: str, prod: bool, replicas: int, graders: int | None = None
) -> Iterator[tuple[Target, stack.System]]:
    with tempfile.TemporaryDirectory(prefix=f"grindstone-bench-{name}-") as folder:
        Path(folder).chmod(0o755)  # PostgreSQL runs as an unprivileged user
        env = {**UNLIMITED, "GRINDSTONE_SECRET": f"bench-{name}-{time.time_ns()}"}
        port = embedded.free_port()
        with stack.running(
            Path(folder), port, env, replicas=replicas, prod=prod, graders=graders
        ) as system:
            secret = system.env["GRINDSTONE_SECRET"]
            yield Target(name, system.url, secret, load_trivial(system)), system


def profile(target: Target, opts: Options) -> profiles.Profile:
    """The back-to-back load again, with py-spy on one process of each service (apart from the
    capacity run: sampling costs CPU)."""
    log(f"{target.name}: the same load again under py-spy")
    wait_quiet()
    with tempfile.TemporaryDirectory(prefix="grindstone-tokens-") as folder:
        mint = lambda count: str(k6run.mint_tokens(target.secret, count, Path(folder)))  # noqa: E731
        # py-spy runs for the load's duration from the call on: no wait for quiet in between
        load = lambda: graded_per_second(target, opts, mint, quiet=False)  # noqa: E731
        _, sampled = profiles.sampled(seconds(opts.duration) + 5, load)
    return sampled


def graders_running() -> int:
    return sum(1 for component, _, _ in cpu.snapshot().values() if component == "grader")


def grader_scaling(opts: Options) -> dict[int, float]:
    """Graded/s in the production configuration with 1, 2, 3, 4 grader processes."""
    rates: dict[int, float] = {}
    for n in opts.graders:
        log(f"production with {n} grader process(es)")
        with (
            grindstone(f"prod-g{n}", prod=True, replicas=2, graders=n) as (target, _),
            tempfile.TemporaryDirectory(prefix="grindstone-tokens-") as folder,
        ):
            assert graders_running() == n, f"{graders_running()} graders run, not {n}"
            mint = lambda count: str(k6run.mint_tokens(target.secret, count, Path(folder)))  # noqa: E731
            rates[n] = graded_per_second(target, opts, mint)["rate"]
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a trial: 1 run of 3 s each, 200 sockets, graders 1 and 2",
    )
    parser.add_argument("--repeats", type=int, help="runs of each HTTP path (median; default 3)")
    parser.add_argument("--duration", help="of each run (default 10s)")
    parser.add_argument(
        "--no-start-commit",
        action="store_true",
        help=f"skip the baseline of {start_commit.COMMIT} (its clone and run)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy run")
    parser.add_argument("--out", type=Path, default=processes.ROOT / "PERFORMANCE.md")
    args = parser.parse_args()
    opts = Options()
    if args.quick:
        opts = Options(repeats=1, duration="3s", clients=200, hold="8s", graders=(1, 2))
    opts.repeats = args.repeats or opts.repeats
    opts.duration = args.duration or opts.duration
    opts.start_commit = not args.no_start_commit
    opts.profile = not args.no_profile
    began = time.monotonic()
    options = {k: v for k, v in vars(opts).items() if k != "failures"}
    report = perf_report.Report(machine=machine(), options=options, argv=sys.argv[1:])
    log(f"bench: {report.machine}")

    log("baseline: a bare Litestar endpoint, one uvicorn process (get.js)")
    with baselines.bare_litestar() as url:
        report.baselines["bare_litestar"] = http_path("get.js", url, {"URL": url}, opts, None)
    log(f"baseline: nginx serving {STATIC_FILE.name} (get.js)")
    with baselines.nginx_static(STATIC_FILE) as url:
        report.baselines["nginx_static"] = http_path("get.js", url, {"URL": url}, opts, None)

    if opts.start_commit:
        log(f"baseline: the start commit {start_commit.COMMIT}, its own clone, --prod")
        with start_commit.running() as old:
            target = Target(f"start {start_commit.COMMIT}", old.url, old.secret, old.assignment_id)
            suite(target, opts)
            report.targets["start"] = target
    log("development configuration (one process each)")
    with grindstone("dev", prod=False, replicas=1) as (target, _):
        suite(target, opts)
        report.targets["dev"] = target
    log("production configuration (nginx, 2 replicas of each HTTP service)")
    with grindstone("prod", prod=True, replicas=2) as (target, _):
        suite(target, opts, capacity=True)
        report.targets["prod"] = target
        if opts.profile:
            report.profile = profile(target, opts)
    report.grader_scaling = grader_scaling(opts)
    report.seconds = time.monotonic() - began
    report.failures = opts.failures
    report.machine["load_after"] = load_average()
    perf_report.write(report, args.out)
    log(f"wrote {args.out} and its plots after {report.seconds / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
