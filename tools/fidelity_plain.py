"""Run the fidelity problem set with plain pytest, without any sandbox.

For every record of tests/data/fidelity.jsonl (or the file given): write `solution.py` (the
reference, then the wrong twin) and `test_solution.py` into a fresh temporary folder and run
`python -m pytest -q -p no:cacheprovider` there with the venv's Python. The reference must pass
(and take under --max-seconds inside pytest); the wrong twin must import cleanly and fail at
least one test. Prints one line per bad record and the summary
"N problems: N reference passed, N wrong failed"; exit status 1 on any bad record.

Plugins installed in the venv are not auto-loaded (PYTEST_DISABLE_PLUGIN_AUTOLOAD=1): the
tests may use only pytest's own features, and loading the venv's plugins costs seconds a run.

Run: .venv/bin/python tools/fidelity_plain.py [FILE.jsonl] [--jobs N] [--max-seconds S]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT / "tests" / "data" / "fidelity.jsonl"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
TIMEOUT_S = 60
FIELDS = ("id", "title", "handout", "starter", "solution", "wrong_solution", "tests")
# pytest's closing line, e.g. "1 failed, 4 passed in 0.03s"
CLOSING = re.compile(r"^=*\s*(?P<counts>.*?) in (?P<seconds>[\d.]+)s", re.MULTILINE)


@dataclass
class Run:
    code: int | None  # None: timed out
    output: str
    seconds: float | None  # as pytest reports it

    def closing(self) -> str:
        lines = [line.strip("= ") for line in self.output.strip().splitlines()]
        return lines[-1] if lines else "(no output)"


def pytest_run(python: str, code: str, tests: str) -> Run:
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory(prefix="fidelity-") as folder:
        Path(folder, "solution.py").write_text(code, encoding="utf-8")
        Path(folder, "test_solution.py").write_text(tests, encoding="utf-8")
        command = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        try:
            done = subprocess.run(
                command,
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            return Run(None, "", None)
        output = done.stdout + done.stderr
        closings = list(CLOSING.finditer(done.stdout))
        seconds = float(closings[-1]["seconds"]) if closings else None
        return Run(done.returncode, output, seconds)


def imports_cleanly(python: str, code: str) -> str | None:
    """None, or the last line of the error importing the code as module `solution`."""
    with tempfile.TemporaryDirectory(prefix="fidelity-") as folder:
        Path(folder, "solution.py").write_text(code, encoding="utf-8")
        try:
            done = subprocess.run(
                [python, "-c", "import solution"],
                cwd=folder,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            return f"import timed out after {TIMEOUT_S} s"
        if done.returncode == 0:
            return None
        lines = done.stderr.strip().splitlines()
        return lines[-1] if lines else f"exit status {done.returncode}"


@dataclass
class Outcome:
    ident: str
    reference_passed: bool
    wrong_failed: bool
    problems: list[str]


def check(python: str, record: dict[str, object], max_seconds: float) -> Outcome:
    ident = str(record.get("id", "?"))
    problems = [f"field {f!r} missing or empty" for f in FIELDS if not record.get(f)]
    if record.get("test_style") != "module:solution":
        problems.append(f"test_style {record.get('test_style')!r} is not 'module:solution'")
    if problems:
        return Outcome(ident, False, False, problems)
    tests = str(record["tests"])

    reference = pytest_run(python, str(record["solution"]), tests)
    reference_passed = reference.code == 0
    if reference.code is None:
        problems.append(f"reference: timed out after {TIMEOUT_S} s")
    elif not reference_passed:
        problems.append(f"reference: exit {reference.code}, {reference.closing()}")
    elif reference.seconds is not None and reference.seconds > max_seconds:
        problems.append(f"reference: tests took {reference.seconds:.2f} s (> {max_seconds} s)")

    wrong_code = str(record["wrong_solution"])
    wrong = pytest_run(python, wrong_code, tests)
    import_error = imports_cleanly(python, wrong_code)
    wrong_failed = wrong.code == 1 and import_error is None
    if import_error is not None:
        problems.append(f"wrong: does not import: {import_error}")
    if wrong.code is None:
        problems.append(f"wrong: timed out after {TIMEOUT_S} s")
    elif wrong.code == 0:
        problems.append(f"wrong: passed ({wrong.closing()})")
    elif wrong.code != 1:
        problems.append(f"wrong: exit {wrong.code} (not a test failure), {wrong.closing()}")
    return Outcome(ident, reference_passed, wrong_failed, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--max-seconds", type=float, default=1.0)
    parser.add_argument(
        "--python",
        default=str(VENV_PYTHON) if VENV_PYTHON.exists() else sys.executable,
        help="the Python whose pytest runs the tests (default: the repository's .venv)",
    )
    args = parser.parse_args(argv)
    if os.sep in args.python:  # the tests run in temporary folders: no relative paths
        args.python = os.path.abspath(args.python)
    records = [
        json.loads(line)
        for line in args.file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(lambda r: check(args.python, r, args.max_seconds), records))
    bad = 0
    for outcome in outcomes:
        if outcome.problems:
            bad += 1
            print(f"{outcome.ident}: {'; '.join(outcome.problems)}")
    passed = sum(o.reference_passed for o in outcomes)
    failed = sum(o.wrong_failed for o in outcomes)
    print(f"{len(outcomes)} problems: {passed} reference passed, {failed} wrong failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
