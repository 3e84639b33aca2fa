"""End-to-end load: many students submit trivial programs through the HTTP API; prints the
submit -> push latency (POST sent -> `submission.graded` received on the WebSocket) p50/p99,
the POST round trip alone as the baseline of the same run, and graded submissions per second.

    python -m bench.e2e --students 50 --per-student 10
    python -m bench.e2e --students 50 --per-student 10 --rate 50   # paced: 50 submissions/s

Unpaced, each student submits again as soon as its verdict arrives (the most the system
grades); paced, the submissions start on a fixed schedule (latency at a given load).
Starts its own system (embedded servers unless NATS_URL/DATABASE_URL/VALKEY_URL are set).
"""

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import uvloop
from tqdm import tqdm

from bench import cpu, lean_http
from common import embedded
from grindstone_cli import stack
from scripts.student import Student

TRIVIAL = Path(__file__).with_name("trivial.jsonl")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def load_trivial(system: stack.System) -> str:
    argv = [sys.executable, "-m", "grindstone_cli", "assignments", "load", str(TRIVIAL), "--json"]
    done = subprocess.run(argv, env=system.env, capture_output=True, text=True, check=True)
    return str(json.loads(done.stdout.splitlines()[-1])["assignment_id"])


async def run_load(
    url: str, assignment_id: str, students: int, per_student: int, rate: float = 0
) -> dict:
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    bar = tqdm(total=students * per_student, unit="submission", desc="bench", mininterval=1)

    async def one_student(n: int) -> None:
        http = lean_http.Connection(url)  # its own keep-alive connection
        student = Student(url, http)  # type: ignore[arg-type]
        await student.start()
        await started.wait()
        try:
            for i in range(per_student):
                if rate:  # the (i * students + n)-th submission of the schedule
                    await asyncio.sleep(max(0, begin + (i * students + n) / rate - loop.time()))
                code = f"def add(a, b):\n    return a + b  # student {n}, try {i}\n"
                graded = await student.submit(assignment_id, code)
                latencies.append(graded["latency_ms"])
                statuses[graded["status"]] = statuses.get(graded["status"], 0) + 1
                bar.update()
        finally:
            await student.close()
            await http.close()

    loop, started = asyncio.get_running_loop(), asyncio.Event()
    runs = [asyncio.create_task(one_student(n)) for n in range(students)]
    await asyncio.sleep(1)  # the students' sessions and sockets open before the clock starts
    start, begin = time.perf_counter(), loop.time()
    started.set()
    await asyncio.gather(*runs)
    seconds = time.perf_counter() - start
    bar.close()
    return {"latencies": latencies, "statuses": statuses, "seconds": seconds}


async def post_baseline(url: str, rounds: int) -> list[float]:
    """The HTTP part alone: GET /api/assignments round trips through nginx and query_api."""
    times = []
    async with httpx.AsyncClient(timeout=30) as http:
        http.cookies.clear()  # a new student, not the session the client may hold
        token = (await http.post(f"{url}/api/sessions")).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        for _ in range(rounds):
            start = time.perf_counter()
            (await http.get(f"{url}/api/assignments")).raise_for_status()
            times.append((time.perf_counter() - start) * 1000)
    return times


def print_cpu(used: dict[str, float], n: int, seconds: float) -> None:
    total = sum(used.values())
    cores = total / seconds
    print(f"CPU during the load: {total:.1f} s over {seconds:.1f} s wall ({cores:.2f} cores)")
    for component, spent in used.items():
        share = 100 * spent / total if total else 0
        print(
            f"  {component:16} {spent:7.2f} s  {1000 * spent / n:6.2f} ms/submission  {share:4.1f}%"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--per-student", type=int, default=10)
    parser.add_argument("--rate", type=float, default=0, help="submissions/s (0: unpaced)")
    args = parser.parse_args()
    env = {"GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="grindstone-bench-") as folder:
        Path(folder).chmod(0o755)
        with stack.running(Path(folder), embedded.free_port(), env, load_curriculum=False) as sys_:
            assignment_id = load_trivial(sys_)
            baseline = asyncio.run(post_baseline(sys_.url, 200))
            before = cpu.snapshot()
            result = uvloop.run(
                run_load(sys_.url, assignment_id, args.students, args.per_student, args.rate)
            )
            used = cpu.split(before, cpu.snapshot())
    lat, n = result["latencies"], len(result["latencies"])
    print(f"submissions: {n} from {args.students} students; verdicts: {result['statuses']}")
    print(
        f"submit -> push latency: p50 {percentile(lat, 50):.1f} ms, "
        f"p99 {percentile(lat, 99):.1f} ms, mean {statistics.mean(lat):.1f} ms"
    )
    print(
        f"baseline, GET /api/assignments through nginx: p50 {percentile(baseline, 50):.2f} ms, "
        f"p99 {percentile(baseline, 99):.2f} ms"
    )
    print(f"graded submissions per second: {n / result['seconds']:.1f} ({result['seconds']:.1f} s)")
    print_cpu(used, n, result["seconds"])
    return 0 if result["statuses"].get("passed", 0) == n else 1


if __name__ == "__main__":
    sys.exit(main())
