"""The curriculum: every record well formed, its solution passes its tests, its wrong one fails."""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assignments import build
from grindstone_cli import problemset

FILE = build.OUTPUT
RECORDS: list[dict[str, Any]] = [json.loads(line) for line in FILE.read_text().splitlines()]
REQUIRED = {
    "id": str,
    "title": str,
    "handout": str,
    "starter": str,
    "solution": str,
    "wrong_solution": str,
    "tests": str,
    "test_style": str,
}
by_id = pytest.mark.parametrize("rec", RECORDS, ids=[r["id"] for r in RECORDS])


def run_tests(rec: dict[str, Any], code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    """The record's tests against `code`, as a grader runs them: python -I in a fresh folder."""
    (folder / "solution.py").write_text(code)
    (folder / "test_solution.py").write_text(rec["tests"])
    return subprocess.run(
        [sys.executable, "-I", "test_solution.py"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def functions(source: str) -> list[str]:
    return [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]


def test_the_file_is_built_from_the_sources() -> None:
    assert FILE.read_text() == build.build(), "run `python -m assignments.build`"


def test_there_are_at_least_twelve_assignments_numbered_in_order() -> None:
    assert len(RECORDS) >= 12
    numbers = [int(re.fullmatch(r"grindstone/(\d\d)-[a-z0-9-]+", r["id"])[1]) for r in RECORDS]
    assert numbers == list(range(1, len(RECORDS) + 1))


def test_the_loader_accepts_the_whole_file() -> None:
    assert [r.source_id for r in problemset.parse(FILE.read_text())] == [r["id"] for r in RECORDS]


def test_the_curriculum_starts_with_stdio_programs_and_has_functions_after() -> None:
    styles = [r["test_style"] for r in RECORDS]
    assert styles[0] == "stdio:solution.py"
    assert "module:solution" in styles


@by_id
def test_the_record_has_every_field_with_its_type(rec: dict[str, Any]) -> None:
    for field, kind in REQUIRED.items():
        assert isinstance(rec[field], kind) and rec[field].strip(), field
    assert rec["test_style"] in ("module:solution", "stdio:solution.py")
    assert set(rec.get("limits", {})) <= {"wall_ms", "cpu_ms", "memory_mb", "output_kb"}


@by_id
def test_the_handout_opens_with_the_title(rec: dict[str, Any]) -> None:
    assert rec["handout"].startswith(f"# {rec['title']}\n")


@by_id
def test_module_records_name_a_function_of_the_starter_and_the_solution(rec: dict) -> None:
    if rec["test_style"] == "stdio:solution.py":
        assert rec["entry_point"] is None
        return
    assert rec["entry_point"] in functions(rec["starter"])
    assert rec["entry_point"] in functions(rec["solution"])


@by_id
def test_the_tests_have_several_distinct_named_test_functions(rec: dict[str, Any]) -> None:
    names = [n for n in functions(rec["tests"]) if n.startswith("test_")]
    assert len(names) >= 2
    assert len(set(names)) == len(names)


@by_id
def test_the_solution_passes_every_test(rec: dict[str, Any], tmp_path: Path) -> None:
    done = run_tests(rec, rec["solution"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"^\d+ passed, 0 failed$", done.stdout, re.MULTILINE)


@by_id
def test_the_wrong_solution_fails_a_test_and_says_why(rec: dict, tmp_path: Path) -> None:
    done = run_tests(rec, rec["wrong_solution"], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL test_" in done.stdout
    assert re.search(r"^\d+ passed, [1-9]\d* failed$", done.stdout, re.MULTILINE)
    assert "\n  expected: " in done.stdout or "AssertionError: " in done.stdout


@by_id
def test_the_starter_does_not_pass(rec: dict[str, Any], tmp_path: Path) -> None:
    done = run_tests(rec, rec["starter"], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
