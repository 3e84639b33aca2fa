"""The sandbox's cost per job, against a fresh interpreter per job, in one run:

    python -m bench.sandbox [--jobs 300] [--dataset tests/data/humaneval.jsonl]

1. The same trivial program and three asserts, one job at a time: through the sandbox (zygote,
   judge, confined child), and as a fresh `python -I -S` subprocess that imports it and runs
   the tests (the baseline). Prints wall time per job (p50, mean) and CPU per job: user and
   system time of every process involved (this one, the interpreters or the zygote, judges
   and confined children), divided by the jobs.
   Beside them, the floor: CPU per fork and exit of a process with the zygote's image.
2. HumanEval's canonical solutions through the sandbox, as many at once as there are cores:
   graded per second, and how many passed (all must).
"""

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from tqdm import tqdm

from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxJob

HUMANEVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "humaneval.jsonl"
CODE = "def add(a, b):\n    return a + b\n"
TESTS = """from solution import add


def test_add():
    assert add(2, 3) == 5
    assert add(0, 0) == 0
    assert add(-1, -1) == -2
"""
# the baseline's runner: import the tests (which import solution.py) and call each test
RUNNER = """import sys
sys.path.insert(0, sys.argv[1])
import test_solution
for name, test in list(vars(test_solution).items()):
    if name.startswith("test_"):
        test()
"""
TICKS = os.sysconf("SC_CLK_TCK")
INSIDE = Path(__file__).resolve().parents[1] / "services" / "grader" / "inside"
# the floor: a process with the zygote's image (its imports, frozen) forks a child that exits
# at once, and waits; CPU of both per fork
FLOOR = """import gc, os, resource, sys
sys.path.insert(0, sys.argv[1])
import zygote
gc.collect()
gc.freeze()
def cpu():
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
n = int(sys.argv[2])
before = cpu()
for _ in range(n):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print((cpu() - before) / n * 1000)
"""


def cpu_seconds(box: Sandbox) -> float:
    """CPU time of this process, its reaped children (the baseline's interpreters), the
    zygote with its reaped children (every confined child) and the live judges."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    for pid in box.pids():
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
        total += sum(int(x) for x in fields[11:15]) / TICKS  # utime stime cutime cstime
    return total


async def measure(
    label: str, jobs: int, box: Sandbox, one: Callable[[], Awaitable[None]]
) -> dict[str, float]:
    for _ in range(10):  # warm up
        await one()
    walls: list[float] = []
    cpu_before, started = cpu_seconds(box), time.perf_counter()
    for _ in tqdm(range(jobs), desc=label, unit="job", leave=False):
        t0 = time.perf_counter()
        await one()
        walls.append(time.perf_counter() - t0)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds(box) - cpu_before
    return {
        "p50_ms": statistics.median(walls) * 1000,
        "mean_ms": elapsed / jobs * 1000,
        "cpu_ms": cpu / jobs * 1000,
    }


async def sandbox_job(box: Sandbox) -> None:
    job = SandboxJob(code=CODE, tests=TESTS, test_style="module", entry_point="add")
    status, feedback = verdict.judge(await box.run(job))
    if status != "passed":
        raise SystemExit(f"the trivial job did not pass in the sandbox: {feedback.message}")


async def fresh_interpreter_job(python: str, folder: str) -> None:
    for name, text in (("solution.py", CODE), ("test_solution.py", TESTS)):
        with open(os.path.join(folder, name), "w") as f:  # noqa: ASYNC230 - part of the job
            f.write(text)
    proc = await asyncio.create_subprocess_exec(
        python, "-I", "-S", "-B", "-c", RUNNER, folder, env={}, cwd=folder
    )
    if await proc.wait() != 0:
        raise SystemExit("the trivial job failed in a fresh interpreter")


async def fork_floor(python: str, forks: int) -> float:
    """CPU ms per fork and exit of a process with the zygote's image."""
    proc = await asyncio.create_subprocess_exec(
        python,
        "-I",
        "-S",
        "-B",
        "-c",
        FLOOR,
        str(INSIDE),
        str(forks),
        env={},
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    return float(out)


async def humaneval(box: Sandbox, records: list[dict[str, str]]) -> tuple[int, int, float]:
    at_once = asyncio.Semaphore(os.cpu_count() or 1)
    bar = tqdm(total=len(records), desc="HumanEval", unit="solution", leave=False)

    async def one(record: dict[str, str]) -> bool:
        async with at_once:
            job = SandboxJob(
                code=record["solution"],
                tests=record["tests"],
                test_style="module",
                entry_point=record["entry_point"],
            )
            status, _ = verdict.judge(await box.run(job))
            bar.update()
            return status == "passed"

    started = time.perf_counter()
    passed = await asyncio.gather(*(one(record) for record in records))
    elapsed = time.perf_counter() - started
    bar.close()
    return sum(passed), len(records), len(records) / elapsed


async def main(jobs: int, records: list[dict[str, str]]) -> None:
    box = Sandbox()
    await box.start()
    try:
        print(f"sandbox: {box.python}; layers on: ", end="")
        print(", ".join(name for name, state in box.layers.items() if state.startswith("on")))
        with tempfile.TemporaryDirectory() as folder:
            fresh = await measure(
                "fresh python -I -S", jobs, box, lambda: fresh_interpreter_job(box.python, folder)
            )
        zygote = await measure("sandbox", jobs, box, lambda: sandbox_job(box))
        floor = await fork_floor(box.python, max(jobs, 300))
        passed, total, rate = await humaneval(box, records)
    finally:
        await box.close()
    print(f"\ntrivial job, one at a time, {jobs} jobs each ({os.cpu_count()} cores):")
    print(f"{'':28}{'wall p50':>10}{'wall mean':>11}{'CPU/job':>10}")
    for label, row in (("fresh `python -I -S`/job", fresh), ("sandbox (zygote)", zygote)):
        print(f"{label:28}{row['p50_ms']:>8.2f}ms{row['mean_ms']:>9.2f}ms{row['cpu_ms']:>8.2f}ms")
    print(f"{'fork and exit of the zygote':28}{'':21}{floor:>8.2f}ms   (the floor)")
    print(
        f"the sandbox is {fresh['mean_ms'] / zygote['mean_ms']:.1f}x cheaper in wall time and "
        f"{fresh['cpu_ms'] / zygote['cpu_ms']:.1f}x in CPU per job; "
        f"{zygote['cpu_ms'] / floor:.1f}x the floor"
    )
    print(f"HumanEval canonical solutions: {passed}/{total} passed, {rate:.1f} graded/s")
    if passed != total:
        sys.exit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--dataset", type=Path, default=HUMANEVAL)
    args = parser.parse_args()
    lines = args.dataset.read_text().splitlines()
    asyncio.run(main(args.jobs, [json.loads(line) for line in lines if line.strip()]))
