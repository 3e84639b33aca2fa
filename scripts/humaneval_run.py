"""HumanEval through the whole system: load it with `grindstone assignments load`, submit every
problem's `solution`, `wrong_solution` and a solution that tries to forge a pass (FORGERS, one
trick per problem in turn) through the HTTP API, and count the verdicts.

    python -m scripts.humaneval_run [FILE.jsonl] [--concurrency 16]

Starts its own system (embedded servers in a temporary folder, unless NATS_URL/DATABASE_URL/
VALKEY_URL are set) and prints the counts and the run time. Exits 1 unless every solution
passed and every wrong and forging solution failed.
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

# Code that tries to pass without solving anything; ENTRY is the problem's function name.
FORGERS = [
    # an answer that says it equals anything, is true, and hashes like anything
    "class _Yes:\n    __eq__ = lambda self, other: True\n    __ne__ = lambda self, other: False\n"
    "    __bool__ = lambda self: True\n    __hash__ = lambda self: 0\n\n\n"
    "def ENTRY(*args, **kwargs):\n    return _Yes()\n",
    # an int (or str) subclass that equals everything
    "class _Int(int):\n    __eq__ = lambda self, other: True\n    __hash__ = int.__hash__\n\n\n"
    "def ENTRY(*args, **kwargs):\n    return _Int(0)\n",
    # leave before any test can fail
    "import sys\n\nsys.exit(0)\n",
    "import os\n\n\ndef ENTRY(*args, **kwargs):\n    os._exit(0)\n",
    # say that everything passed, then disappear
    "import os\n\nprint('PASS test_check')\nprint('1 passed, 0 failed')\nos._exit(0)\n",
    # disarm the test framework
    "import builtins\n\nbuiltins.AssertionError = type('Nothing', (BaseException,), {})\n"
    "builtins.print = lambda *a, **k: None\n\n\ndef ENTRY(*args, **kwargs):\n    return None\n",
    # write a fake verdict to every descriptor it might have inherited
    "import os\n\nfor fd in range(3, 64):\n    try:\n"
    '        os.write(fd, b\'{"kind": "done"}\\n\')\n    except OSError:\n        pass\n\n\n'
    "def ENTRY(*args, **kwargs):\n    return None\n",
]


def forged(record: dict, index: int) -> str:
    return FORGERS[index % len(FORGERS)].replace("ENTRY", record["entry_point"])


def load(system: stack.System, dataset: Path) -> dict[str, str]:
    """source id -> assignment id, through the real command line."""
    argv = [sys.executable, "-m", "grindstone_cli", "assignments", "load", str(dataset), "--json"]
    done = subprocess.run(argv, env=system.env, capture_output=True, text=True, check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {row["source_id"]: row["assignment_id"] for row in rows}


async def grade_all(url: str, records: list[dict], ids: dict[str, str], workers: int) -> dict:
    queue: asyncio.Queue[tuple[str, dict]] = asyncio.Queue()
    for index, record in enumerate(records):
        queue.put_nowait(("solution", record))
        queue.put_nowait(("wrong_solution", record))
        queue.put_nowait(("forged", {**record, "forged": forged(record, index)}))
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
    forgers = counts.get("forged:failed", 0)
    print(f"problems: {len(records)}")
    print(f"solution: {passed} passed of {len(records)}; wrong_solution: {failed} failed")
    print(f"forged: {forgers} of {len(records)} failed ({len(FORGERS)} tricks, in turn)")
    print(f"all verdicts: {json.dumps(counts, sort_keys=True)}")
    print(
        f"load: {loaded - start:.1f} s; grading {3 * len(records)} submissions: "
        f"{done - loaded:.1f} s ({3 * len(records) / (done - loaded):.1f}/s)"
    )
    for line in result["mismatches"]:
        print("  mismatch:", line)
    return 0 if passed == failed == forgers == len(records) else 1


if __name__ == "__main__":
    sys.exit(main())
