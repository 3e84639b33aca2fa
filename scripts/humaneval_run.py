"""HumanEval through the whole system: load it with `grindstone assignments load`, submit every
problem's `solution` and `wrong_solution` through the HTTP API, and count the verdicts.

    python -m scripts.humaneval_run [FILE.jsonl] [--concurrency 16]

Starts its own system (embedded servers in a temporary folder, unless NATS_URL/DATABASE_URL/
VALKEY_URL are set) and prints the counts and the run time. Exits 1 unless every solution
passed and every wrong solution failed.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from tqdm import tqdm

from common import embedded
from grindstone_cli import stack
from scripts.student import Student


def load(system: stack.System, dataset: Path) -> dict[str, str]:
    """source id -> assignment id, through the real command line."""
    argv = [sys.executable, "-m", "grindstone_cli", "assignments", "load", str(dataset), "--json"]
    done = subprocess.run(argv, env=system.env, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["source_id"]: row["assignment_id"] for row in rows}


async def grade_all(url: str, records: list[dict], ids: dict[str, str], workers: int) -> dict:
    queue: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
    for record in records:
        queue.put_nowait(("solution", record))
        queue.put_nowait(("wrong_solution", record))
    counts: dict[str, int] = {}
    mismatches: list[str] = []
    bar = tqdm(total=queue.qsize(), unit="submission", desc="HumanEval")

    async def worker(http: httpx.AsyncClient) -> None:
        student = Student(url, http)
        await student.start()
        try:
            while not queue.empty():
                kind, record = queue.get_nowait()
                graded = await student.submit(ids[record["id"]], record[kind])
                key = f"{kind}:{graded['status']}"
                counts[key] = counts.get(key, 0) + 1
                if (kind == "solution") != (graded["status"] == "passed"):
                    mismatches.append(f"{record['id']} {kind} -> {graded['status']}")
                bar.update()
        finally:
            await student.close()

    limits = httpx.Limits(max_connections=workers * 2)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        await asyncio.gather(*(worker(http) for _ in range(workers)))
    bar.close()
    return {"counts": counts, "mismatches": mismatches}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, nargs="?", default=Path("tests/data/humaneval.jsonl"))
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    records = [json.loads(line) for line in args.dataset.read_text().splitlines() if line]
    env = {"GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0"}
    with tempfile.TemporaryDirectory(prefix="grindstone-humaneval-") as folder:
        Path(folder).chmod(0o755)
        with stack.running(Path(folder), embedded.free_port(), env) as system:
            start = time.monotonic()
            ids = load(system, args.dataset)
            loaded = time.monotonic()
            result = asyncio.run(grade_all(system.url, records, ids, args.concurrency))
            done = time.monotonic()
    counts = result["counts"]
    passed = counts.get("solution:passed", 0)
    failed = counts.get("wrong_solution:failed", 0)
    print(f"problems: {len(records)}")
    print(f"solution: {passed} passed of {len(records)}; wrong_solution: {failed} failed")
    print(f"all verdicts: {json.dumps(counts, sort_keys=True)}")
    print(
        f"load: {loaded - start:.1f} s; grading {2 * len(records)} submissions: "
        f"{done - loaded:.1f} s ({2 * len(records) / (done - loaded):.1f}/s)"
    )
    for line in result["mismatches"]:
        print("  mismatch:", line)
    return 0 if passed == failed == len(records) else 1


if __name__ == "__main__":
    sys.exit(main())
