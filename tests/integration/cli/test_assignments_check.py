"""`grindstone assignments check` as a process: every solution through the real sandbox."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.cli.records import jsonl, record

ROOT = Path(__file__).resolve().parents[3]
HUMANEVAL = ROOT / "tests" / "data" / "humaneval.jsonl"
ADD_TIMES = "def add(a, b):\n    print('adding', a, b)\n    return a * b\n"


def grindstone(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grindstone_cli", *argv],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """One good record, a reference that fails, a wrong solution that passes, no solution."""
    unsolved = {k: v for k, v in record("demo/unsolved").items() if k != "solution"}
    file = tmp_path / "mixed.jsonl"
    file.write_text(
        jsonl(
            record("demo/good", wrong_solution="def add(a, b):\n    return a - b\n"),
            record("demo/broken-reference", solution=ADD_TIMES),
            record("demo/weak-tests", wrong_solution="def add(a, b):\n    return 3\n"),
            unsolved,
        )
    )
    return file


def test_each_problem_is_named_with_its_feedback_then_counted(mixed) -> None:
    done = grindstone("assignments", "check", str(mixed))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "demo/broken-reference: solution failed (record on line 2)"
    assert lines[1].startswith("    1 of 1 tests failed: test_adds")
    assert "    test_adds: failed" in lines
    assert {"        expected: 3", "        actual: 2", "        output: adding 1 2"} <= set(lines)
    assert "demo/weak-tests: wrong_solution passed (record on line 3)" in lines
    assert "    The test passed." in lines
    assert not any("demo/good" in line or "demo/unsolved" in line for line in lines)
    assert lines[-1] == (
        "4 records: 2 references passed, 1 wrong solution failed, 1 not checked, 2 problems"
    )


def test_json_prints_one_line_per_problem_then_the_counts(mixed) -> None:
    done = grindstone("assignments", "check", str(mixed), "--json", "--concurrency", "1")
    assert done.returncode == 1, done.stderr
    *problems, summary = (json.loads(line) for line in done.stdout.splitlines())
    assert [(p["source_id"], p["solution"], p["status"]) for p in problems] == [
        ("demo/broken-reference", "solution", "failed"),
        ("demo/weak-tests", "wrong_solution", "passed"),
    ]
    (failed,) = [t for t in problems[0]["feedback"]["tests"] if t["outcome"] == "failed"]
    assert (failed["name"], failed["expected"], failed["actual"]) == ("test_adds", "3", "2")
    assert summary == {
        "records": 4,
        "references": 3,
        "references_passed": 2,
        "wrong_solutions": 2,
        "wrong_solutions_failed": 1,
        "not_checked": 1,
        "problems": 2,
    }


def test_humaneval_references_pass_and_wrong_solutions_fail(tmp_path) -> None:
    first_ten = tmp_path / "humaneval-10.jsonl"
    first_ten.write_text("".join(HUMANEVAL.read_text().splitlines(keepends=True)[:10]))
    done = grindstone("assignments", "check", str(first_ten))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == (
        "10 records: 10 references passed, 10 wrong solutions failed, 0 problems\n"
    )


def test_a_file_that_does_not_parse_is_exit_status_2(tmp_path) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(jsonl(record("ok/1"), record("bad", test_style="python")))
    done = grindstone("assignments", "check", str(file))
    assert done.returncode == 2
    assert "line 2 (id 'bad'): field 'test_style'" in done.stderr
    assert done.stdout == ""
    missing = grindstone("assignments", "check", str(tmp_path / "missing.jsonl"))
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr
