"""PERFORMANCE.md and its plots (docs/performance/*.png) from the figures bench/perf.py took."""

import math
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

from bench import start_commit

PLOTS = Path("docs") / "performance"
COLUMNS = {"dev": "development", "prod": "production", "start": f"{start_commit.COMMIT} (prod)"}
HTTP_PATHS = {
    "pages": "assignment page + its assets",
    "assignment_api": "GET /api/assignments/{id}",
    "submit": "POST /api/submissions (new student each)",
}
HEADROOM = 0.7  # plan machines to run at 70 % of their cores
PLANNED_RATES = (100, 300, 1000, 3000, 10000)
# what grading needs once per submission however many machines; the rest scales out
SHARED = ("nats-server", "postgres", "valkey-server")
# this process; k6 runs as its child, reaped, so its CPU is counted here too
LOAD = ("bench client",)


@dataclass
class Report:
    machine: dict[str, str]
    options: dict[str, Any]
    argv: list[str]
    baselines: dict[str, dict[str, Any]] = field(default_factory=dict)
    targets: dict[str, Any] = field(default_factory=dict)  # dev, prod, start -> perf.Target
    grader_scaling: dict[int, float] = field(default_factory=dict)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    profile: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def _f(figures: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def _num(value: float | None, digits: int = 0) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _ratio(new: float | None, old: float | None) -> str:
    return "n/a" if not new or not old else f"{new / old:.2f}x"


def _figure(report: Report, column: str, *keys: str) -> Any:
    target = report.targets.get(column)
    return None if target is None else _f(target.figures, *keys)


def _table(report: Report) -> list[str]:
    cols = [c for c in COLUMNS if c in report.targets]
    head = ["figure", *(COLUMNS[c] for c in cols), "prod ÷ start", "bare Litestar", "nginx static"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]

    def row(label: str, keys: tuple[str, ...], digits: int, baseline: str | None = None) -> None:
        values = [_figure(report, c, *keys) for c in cols]
        base = _f(report.baselines, baseline, *keys[1:]) if baseline else None
        other = "nginx_static" if baseline == "bare_litestar" else "bare_litestar"
        comparison = _f(report.baselines, other, *keys[1:]) if baseline else None
        if baseline == "nginx_static":
            base, comparison = comparison, base
        cells = [_num(v, digits) for v in values]
        ratio = _ratio(_figure(report, "prod", *keys), _figure(report, "start", *keys))
        lines.append(
            f"| {label} | "
            + " | ".join([*cells, ratio, _num(base, digits), _num(comparison, digits)])
            + " |"
        )

    for path, label in HTTP_PATHS.items():
        baseline = {"pages": "nginx_static", "assignment_api": "bare_litestar"}.get(path)
        row(f"{label}: requests/s", (path, "rps"), 0, baseline)
        for p in ("p50", "p95", "p99"):
            row(f"{label}: {p} ms", (path, p), 2, baseline)
    rate = report.options["rate"]
    for p in ("p50", "p95", "p99"):
        row(f"submit → graded push at {rate}/s: {p} ms", ("e2e", p), 1)
    students = report.options["students"]
    row(f"graded/s, {students} students back to back", ("graded", "rate"), 0)
    row("… of which lost (accepted, never graded)", ("graded", "lost"), 0)
    clients = report.options["clients"]
    for p in ("p50", "p95", "p99"):
        row(f"{clients} WebSocket clients: delivery {p} ms", ("fanout", p), 1)
    return lines


def _targets(report: Report) -> list[str]:
    """The issue's speed targets (item 5), each against its same-run baseline."""
    prod = lambda *keys: _figure(report, "prod", *keys)  # noqa: E731
    start = lambda *keys: _figure(report, "start", *keys)  # noqa: E731
    bare = _f(report.baselines, "bare_litestar", "rps")
    api, old_api = prod("assignment_api", "rps"), start("assignment_api", "rps")
    post, old_post = prod("submit", "rps"), start("submit", "rps")
    checks = [
        ("submit → push p50 ≤ 8 ms at 50/s", prod("e2e", "p50"), lambda v: v <= 8, "ms"),
        ("submit → push p99 ≤ 30 ms at 50/s", prod("e2e", "p99"), lambda v: v <= 30, "ms"),
        (
            "≥ 300 graded/s, nothing lost",
            prod("graded", "rate"),
            lambda v: v >= 300 and prod("graded", "lost") == 0,
            "graded/s",
        ),
        (
            "assignment API ≥ 2.8x the start commit",
            api / old_api if api and old_api else None,
            lambda v: v >= 2.8,
            "x",
        ),
        (
            "assignment API ≥ 0.5x bare Litestar",
            api / bare if api and bare else None,
            lambda v: v >= 0.5,
            "x",
        ),
        (
            "POST /api/submissions ≥ 2.2x the start commit",
            post / old_post if post and old_post else None,
            lambda v: v >= 2.2,
            "x",
        ),
        (
            "1 000 WebSocket clients, p99 delivery ≤ 50 ms",
            prod("fanout", "p99"),
            lambda v: v <= 50,
            "ms",
        ),
    ]
    lines = ["| target (issue 12, item 5) | production, this run | met |", "| --- | --- | --- |"]
    for label, value, ok, unit in checks:
        met = "n/a" if value is None else ("yes" if ok(value) else "**no**")
        lines.append(f"| {label} | {_num(value, 2)} {unit} | {met} |")
    return lines


def _limits(report: Report) -> list[str]:
    """What bounds the speed targets on this machine, from this run's own CPU figures."""
    graded = _figure(report, "prod", "graded")
    if not graded or "cpu_s" not in graded or not graded["graded"]:
        return []
    n, cores = graded["graded"], int(report.machine["nproc"])
    per = {c: 1000 * s / n for c, s in graded["cpu_s"].items() if c not in LOAD}
    system_ms = sum(per.values())
    top = sorted(per.items(), key=lambda item: -item[1])[:3]
    sandbox_ms = sum(v for c, v in per.items() if c.startswith(("judges", "zygote")))
    budget = cores * 1000 / 300  # CPU ms per submission that 300 graded/s leaves
    return [
        "**What limits them.** Every figure here is CPU-bound: the system, the load generator "
        f"and the baselines share {cores} cores.",
        "",
        f"- graded/s: a graded submission costs {system_ms:.1f} CPU ms in all "
        f"({', '.join(f'{c} {v:.1f}' for c, v in top)}), so {cores} cores grade at most "
        f"{cores * 1000 / system_ms:,.0f}/s with nothing else running; 300/s would need "
        f"{budget:.1f} ms in all, {'less than' if sandbox_ms >= budget else 'of which'} the "
        f"sandbox alone takes {sandbox_ms:.1f} ms (a judge and a confined child per job). "
        "More graders do not "
        "help on one machine (the grader-count table); more machines do (the capacity model).",
        "- POST /api/submissions: every accepted submission is graded, and in production "
        "each one is stored on three NATS nodes (R3); the graders' work competes with the "
        "command API for the same cores during the run, which the start commit's single "
        "NATS server did not pay.",
        "- submit → push latency: the grading path itself (a job's fetch, the sandbox run, "
        "two appends replicated to a quorum, the projector and push) under the load of the "
        "other runs' queued work; the development column shows the same path on one NATS.",
        "- assignment API against bare Litestar: the bare endpoint is measured directly, "
        "ours through nginx with two replicas; nginx and k6 take their share of the same "
        "cores (the HTTP rows of the capacity and profile sections).",
        "",
    ]


def _failures(report: Report) -> list[str]:
    if not report.failures:
        return ["Every k6 run passed its thresholds (no failed request, every check true).", ""]
    lines = ["**Runs whose thresholds failed** (their figures are in the table all the same):", ""]
    return [*lines, *(f"- {failure}" for failure in report.failures), ""]


def _capacity(report: Report) -> list[str]:
    graded = _figure(report, "prod", "graded")
    if not graded or "cpu_s" not in graded or not graded["graded"]:
        return ["(not measured in this run)"]
    n, used = graded["graded"], graded["cpu_s"]
    per = {component: 1000 * s / n for component, s in used.items()}
    system_ms = sum(v for c, v in per.items() if c not in LOAD)
    lines: list[str] = [
        f"CPU time (utime + stime, reaped children included, from /proc) of every process "
        f"during the production run of {report.options['students']} students submitting back "
        f"to back: {n:,.0f} graded submissions in {graded['wall_s']:.1f} s; the system used "
        f"{n * system_ms / 1000 / graded['wall_s']:.2f} of the machine's cores meanwhile.",
        "",
        "| component | CPU ms per graded submission | share of the system |",
        "| --- | --- | --- |",
    ]
    for component, ms in per.items():
        if component in LOAD:
            component, share = "load generator (k6, bench/perf.py)", "not the system"
        else:
            share = f"{100 * ms / system_ms:.0f} %"
        lines.append(f"| {component} | {ms:.2f} | {share} |")
    lines.append(f"| **the system (all but the load generator)** | **{system_ms:.2f}** | 100 % |")
    cores = int(report.machine["nproc"])
    per_machine = cores * 1000 * HEADROOM / system_ms
    shared_ms = sum(v for c, v in per.items() if c in SHARED)
    lines += [
        "",
        f"One machine of this kind ({cores} cores) run at {HEADROOM:.0%} of its cores gives "
        f"{cores * 1000 * HEADROOM:,.0f} CPU ms a second: about **{per_machine:,.0f} graded "
        f"submissions/s** per machine. NATS, PostgreSQL and Valkey take {shared_ms:.2f} ms of "
        "each submission wherever they run; the services and graders scale out by replicas.",
        "",
        "| graded submissions/s | CPU cores needed | machines of this kind |",
        "| --- | --- | --- |",
    ]
    for rate in PLANNED_RATES:
        need = rate * system_ms / 1000
        lines.append(f"| {rate:,} | {need:.1f} | {math.ceil(need / (cores * HEADROOM))} |")
    return lines


def _profile(report: Report) -> list[str]:
    if not report.profile:
        return ["(not profiled in this run)"]
    lines = [
        "py-spy (100 samples/s, pausing the process at each) on one process of each service in "
        f"the production configuration while {report.options['students']} students submit back to "
        "back, a run of its own after the capacity run; the functions on top of the sampled "
        "stacks, by share of that process's samples (every thread's; their count beside the "
        "name); the first row is the time it waited for work.",
        "",
    ]
    for component, top in report.profile.items():
        lines += [f"**{component}**", "", "| function (file:line) | share |", "| --- | --- |"]
        lines += [f"| `{frame}` | {share:.0%} |" for frame, share in top]
        lines.append("")
    return lines


def _plot_percentiles(ax: Any, figures: dict[str, Any], label: str) -> None:
    points = figures.get("percentiles") or {}
    if points:
        xs = list(points)
        ax.plot([str(x) for x in xs], [points[x] for x in xs], marker="o", label=label)


def _plots(report: Report, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for ax, (path, label) in zip(axes, HTTP_PATHS.items(), strict=True):
        for column, title in COLUMNS.items():
            if column in report.targets:
                _plot_percentiles(ax, report.targets[column].figures.get(path, {}), title)
        baseline = {"pages": "nginx_static", "assignment_api": "bare_litestar"}.get(path)
        if baseline and baseline in report.baselines:
            _plot_percentiles(ax, report.baselines[baseline], baseline.replace("_", " "))
        ax.set(title=label, xlabel="percentile", ylabel="ms", yscale="log")
        ax.legend(fontsize="small")
    fig.suptitle(
        f"HTTP latency, k6 {report.options['vus']} VUs, median run of {report.options['repeats']}"
    )
    fig.tight_layout()
    fig.savefig(folder / "http_latency.png", dpi=90)
    names.append("http_latency.png")

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for key, ax, title in (
        ("e2e", axes[0], f"submit → graded push, {report.options['rate']} submissions/s"),
        ("fanout", axes[1], f"{report.options['clients']} WebSocket clients: delivery"),
    ):
        for column, label in COLUMNS.items():
            if column in report.targets:
                _plot_percentiles(ax, report.targets[column].figures.get(key, {}), label)
        ax.set(title=title, xlabel="percentile", ylabel="ms", yscale="log")
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(folder / "push_latency.png", dpi=90)
    names.append("push_latency.png")

    if report.grader_scaling:
        fig, ax = plt.subplots(figsize=(6, 4.5))
        counts = sorted(report.grader_scaling)
        ax.plot(
            counts,
            [report.grader_scaling[n] for n in counts],
            marker="o",
            label="production, this commit",
        )
        old = _figure(report, "start", "graded", "rate")
        if old:
            ax.axhline(old, linestyle="--", color="grey", label=f"{start_commit.COMMIT} (prod)")
        ax.set(
            title=f"graded/s, {report.options['students']} students back to back",
            xlabel="grader processes",
            ylabel="graded submissions/s",
            xticks=counts,
        )
        ax.set_ylim(bottom=0)
        ax.legend(fontsize="small")
        fig.tight_layout()
        fig.savefig(folder / "graded_per_grader.png", dpi=90)
        names.append("graded_per_grader.png")
    plt.close("all")
    return names


def write(report: Report, out: Path) -> None:
    root = out.parent
    dirty = (  # looked at before this run's own plots and file change the tree
        " (with uncommitted changes)"
        if _git("status", "--porcelain", "--untracked-files=no")
        else ""
    )
    plots = _plots(report, root / PLOTS)
    m, o = report.machine, report.options
    command = "just bench" if not report.argv else f"python -m bench.perf {' '.join(report.argv)}"
    lines = [
        "# Performance",
        "",
        f"Written by `{command}` (bench/perf.py) on {time.strftime('%Y-%m-%d %H:%M UTC')}"
        f" at commit `{_git('rev-parse', '--short', 'HEAD')}`{dirty}; the whole run took "
        f"{report.seconds / 60:.1f} minutes. Every figure beside its baselines from the same run, "
        "on one shared machine with the load generator on it: figures move from run to run, so "
        "compare within a column set, not across files.",
        "",
        f"**Machine**: {m['nproc']} cores ({m['cpu']}), {m['memory']} memory, {m['kernel']}; "
        f"{m['k6']}. Load average (1, 5, 15 min) {m['load_before']} before the run, "
        f"{m.get('load_after', 'n/a')} after (the run's own load included).",
        "",
        "## Method",
        "",
        f"- HTTP paths: k6, {o['vus']} virtual users, {o['duration']}, median of {o['repeats']} "
        "runs by requests/s; the latencies are that run's. `bench/k6/pages.js`, "
        "`assignment_api.js` (a student's Bearer token), `submit.js` (a new student on every "
        "request, every answer a 202), `get.js` for the baselines.",
        f"- submit → push: `e2e.js` MODE=rate, {o['rate']} new students a second for "
        f"{o['duration']}, each submits once on an open WebSocket; POST sent → "
        "`submission.graded` received (k6 clock, whole milliseconds).",
        f"- graded/s: `e2e.js` MODE=students, {o['students']} students each submitting the next "
        f"program as soon as the last is graded, for {o['duration']}; graded ÷ the run's time "
        "(the tail of in-flight submissions included); every accepted submission must come "
        "back graded (lost = accepted - graded).",
        f"- WebSockets: `ws_fanout.js`, {o['clients']} students' sockets open together for "
        f"{o['hold']}; each submits once; delivery = the event's own time (`created_at`, "
        "`graded_at`) → the message's arrival.",
        "- Every script fails its run on any failed request or check "
        "(`http_req_failed rate==0`, `checks rate==1`).",
        f"- Baselines from the same run: the commit this issue starts from, "
        f"`{start_commit.COMMIT}`, from a clone of its own (its own venv and web/dist) run by "
        "its own `grindstone up --prod` (2 replicas), rate limits off; a bare Litestar endpoint "
        "(`bench/bare_litestar.py`, one uvicorn process, a tiny JSON GET); nginx serving "
        "`index.html` with a minimal configuration.",
        "- Development: `stack.running(prod=False)` (one process each, nginx dev config); "
        "production: `stack.running(prod=True, replicas=2)`; embedded NATS (in production a "
        "three-node cluster, every stream and durable consumer R3), PostgreSQL, Valkey; "
        "rate limits off (`GRINDSTONE_RATE_LIMIT_PER_MINUTE=0`). The submit runs go last "
        "in each configuration and back to back: the graders work through what the earlier "
        "ones queued meanwhile, in every configuration alike. Every other run starts once the "
        "system is idle again.",
        "",
        "## Figures",
        "",
        *_table(report),
        "",
        *_targets(report),
        "",
        *_limits(report),
        *_failures(report),
        "## Plots",
        "",
        *(f"![{name}]({PLOTS / name})" for name in plots),
        "",
    ]
    if report.grader_scaling:
        lines += ["| grader processes | graded/s (production) |", "| --- | --- |"]
        lines += [f"| {n} | {r:,.0f} |" for n, r in sorted(report.grader_scaling.items())]
        lines += [""]
    lines += ["## Capacity model", "", *_capacity(report), ""]
    lines += ["## Where the CPU goes (py-spy)", "", *_profile(report), ""]
    runs = {
        name: ", ".join(f"{r:,.0f}" for r in _f(t.figures, name, "runs") or [])
        for name in HTTP_PATHS
        for t in [report.targets.get("prod")]
        if t
    }
    lines += ["## Every run (production, requests/s)", ""]
    lines += [f"- {HTTP_PATHS[name]}: {runs[name]}" for name in runs]
    for name, figures in report.baselines.items():
        lines.append(
            f"- {name.replace('_', ' ')}: " + ", ".join(f"{r:,.0f}" for r in figures["runs"])
        )
    lines += [
        "",
        "## Commands",
        "",
        "```",
        "just bench                       # this file and docs/performance/*.png (~20 min)",
        "python -m bench.perf --quick     # a trial: one 3 s run of each, 200 sockets",
        "just bench-e2e                   # the older Python end-to-end bench",
        ".venv/bin/k6 run -e BASE_URL=http://127.0.0.1:8080 -e TOKENS=tokens.json "
        "-e ASSIGNMENT_ID=… bench/k6/submit.js",
        "```",
        "",
    ]
    out.write_text("\n".join(lines))
