"""The real sandbox and harness: HumanEval and Kattis problems, limits, and the feedback."""

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from events import CodeError, Feedback, Limits, Verdict
from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxError, SandboxJob
from tests.integration.grader.helpers import STYLES, humaneval, kattis

ADD_TESTS = """
from solution import add


def test_add():
    assert add(2, 3) == 5


def test_add_zero():
    assert add(0, 0) == 0


def test_add_negative():
    assert add(-1, -1) == -2
"""


@pytest.fixture
async def box() -> AsyncIterator[Sandbox]:
    """A started sandbox of this test's own (it belongs to the test's event loop)."""
    sandbox = Sandbox()
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.close()


async def grade(
    box: Sandbox, record: dict[str, Any], code: str, limits: Limits | None = None
) -> tuple[Verdict, Feedback]:
    job = SandboxJob(
        code=code,
        tests=record["tests"],
        test_style=STYLES[record["test_style"]],  # type: ignore[arg-type]
        entry_point=record["entry_point"],
        limits=limits or Limits(),
    )
    return verdict.judge(await box.run(job))


def custom(tests: str, entry_point: str | None = "add") -> dict[str, Any]:
    return {"tests": tests, "test_style": "module:solution", "entry_point": entry_point}


@pytest.mark.parametrize("number", [0, 2, 32, 38, 53])
async def test_a_correct_humaneval_solution_passes(box: Sandbox, number: int):
    record = humaneval(number)
    status, feedback = await grade(box, record, record["solution"])
    assert (status, feedback.message) == ("passed", "The test passed.")


async def test_a_wrong_humaneval_solution_fails_with_expected_and_actual(box: Sandbox):
    record = humaneval(0)
    status, feedback = await grade(box, record, record["wrong_solution"])
    (test,) = feedback.tests
    assert status == "failed"
    assert (test.name, test.outcome, test.expected, test.actual) == (
        "test_check", "failed", "True", "None",
    )  # fmt: skip
    assert test.message == "The value differs from the one expected."
    assert "candidate" not in test.message  # the hidden test's text is never shown
    assert test.call == "has_close_elements([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3)"
    assert feedback.message == "1 of 1 tests failed: test_check."


async def test_one_failing_test_of_three_is_named_with_its_values(box: Sandbox):
    code = "def add(a, b):\n    print('adding', a, b)\n    return a + b if a else 1\n"
    status, feedback = await grade(box, custom(ADD_TESTS), code)
    assert status == "failed"
    assert feedback.message == "1 of 3 tests failed: test_add_zero."
    assert [t.call for t in feedback.tests] == [None, "add(0, 0)", None]
    assert [t.outcome for t in feedback.tests] == ["passed", "failed", "passed"]
    assert [t.output for t in feedback.tests] == ["adding 2 3\n", "adding 0 0\n", "adding -1 -1\n"]


async def test_a_kattis_solution_passes_and_the_empty_program_fails(box: Sandbox):
    record = kattis("different")
    status, feedback = await grade(box, record, record["solution"])
    assert (status, feedback.message) == ("passed", "All 3 tests passed.")
    status, feedback = await grade(box, record, record["wrong_solution"])
    assert status == "failed"
    assert feedback.message == (
        "3 of 3 tests failed: test_sample_1, test_secret_01, test_secret_02_extreme_cases."
    )
    first = feedback.tests[0]
    assert first.message == "wrong answer on sample/1: expected 3 tokens, got 0"
    assert (first.stdin, first.actual, first.text) == (
        "10 12\n71293781758123 72784\n1 12345677654321\n", "", True,
    )  # fmt: skip


async def test_an_endless_loop_exceeds_the_cpu_time(box: Sandbox):
    code = "def add(a, b):\n    while True:\n        pass\n"
    status, feedback = await grade(
        box, custom(ADD_TESTS), code, Limits(cpu_ms=1_000, wall_ms=20_000)
    )
    assert status == "failed"
    assert feedback.message == "Time limit exceeded: the program used more than 1 s of CPU time."
    assert [t.outcome for t in feedback.tests] == ["failed", "skipped", "skipped"]


async def test_an_endless_stdio_program_exceeds_the_cpu_time(box: Sandbox):
    status, feedback = await grade(
        box, kattis("hello"), "while True:\n    pass\n", Limits(cpu_ms=1_000)
    )
    assert status == "failed"
    assert feedback.message == "Time limit exceeded: the program used more than 1 s of CPU time."


async def test_a_sleeping_program_exceeds_the_wall_clock(box: Sandbox):
    code = "import time\n\ndef add(a, b):\n    time.sleep(60)\n"
    status, feedback = await grade(box, custom(ADD_TESTS), code, Limits(wall_ms=1_000))
    assert status == "failed"
    assert feedback.message == "Time limit exceeded: the program ran longer than 1 s (wall clock)."


async def test_a_memory_hog_exceeds_the_memory_limit(box: Sandbox):
    code = "def add(a, b):\n    hog = []\n    while True:\n        hog.append(bytearray(2**20))\n"
    status, feedback = await grade(box, custom(ADD_TESTS), code, Limits(memory_mb=128))
    assert (status, feedback.message) == ("failed", "Memory limit exceeded (128 MiB).")


async def test_huge_output_is_stopped_and_capped(box: Sandbox):
    code = "def add(a, b):\n    while True:\n        print('spam' * 100)\n"
    status, feedback = await grade(box, custom(ADD_TESTS), code, Limits(output_kb=64))
    assert (status, feedback.message) == ("failed", "Output limit exceeded (64 KiB).")
    assert len(feedback.output.encode()) <= verdict.OUTPUT_BYTES


async def test_output_written_past_python_is_stopped_and_capped(box: Sandbox):
    code = "import os\n\ndef add(a, b):\n    os.write(1, b'x' * 200_000)\n    return a + b\n"
    status, feedback = await grade(box, custom(ADD_TESTS), code, Limits(output_kb=16))
    assert (status, feedback.message) == ("failed", "Output limit exceeded (16 KiB).")
    assert 0 < len(feedback.output.encode()) <= verdict.OUTPUT_BYTES


async def test_a_syntax_error_points_at_its_line(box: Sandbox):
    code = "def add(a, b):\n    total = a +\n    return total\n"
    status, feedback = await grade(box, custom(ADD_TESTS), code)
    assert status == "failed"
    assert feedback.message == "SyntaxError on line 2: invalid syntax"
    assert feedback.load_error == CodeError(
        error="SyntaxError: invalid syntax", line=2, source_line="total = a +"
    )
    assert {t.outcome for t in feedback.tests} == {"skipped"}
    # told once: no test repeats the error
    assert {(t.error, t.line, t.source_line) for t in feedback.tests} == {(None, None, None)}


async def test_an_exception_points_at_the_students_line(box: Sandbox):
    record = humaneval(0)
    code = record["solution"].replace("distance = abs(elem - elem2)", "distance = 1 / 0")
    line = code.splitlines().index("                distance = 1 / 0") + 1
    status, feedback = await grade(box, record, code)
    (test,) = feedback.tests
    assert status == "failed"
    assert (test.line, test.source_line) == (line, "distance = 1 / 0")
    assert test.error == "ZeroDivisionError: division by zero"
    assert feedback.message == "1 of 1 tests failed: test_check."
    assert test.message == f"Your code raised ZeroDivisionError: division by zero on line {line}."
    assert test.call == "has_close_elements([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3)"


async def test_an_exception_while_loading_points_at_the_students_line(box: Sandbox):
    status, feedback = await grade(box, custom(ADD_TESTS), "import os\n\nos.nope()\n")
    assert (status, feedback.message) == (
        "failed", "AttributeError on line 3: module 'os' has no attribute 'nope'",
    )  # fmt: skip


async def test_a_missing_entry_point_is_named(box: Sandbox):
    status, feedback = await grade(box, custom(ADD_TESTS), "def plus(a, b):\n    return a + b\n")
    assert (status, feedback.message) == ("failed", "Your code does not define the function add().")


async def test_broken_assignment_tests_are_the_graders_error_not_the_students(box: Sandbox):
    status, feedback = await grade(
        box, custom("import nothing_here\n"), "def add(a, b):\n    pass\n"
    )
    assert status == "error"
    assert "ModuleNotFoundError" in feedback.message


PROBE_TESTS = """
from solution import probe


def test_probe():
    assert probe() == None
"""


async def probe(box: Sandbox, body: str) -> str:
    """What `probe()` returns inside the sandbox, read back from the failed comparison."""
    code = f"import os, socket\n\ndef probe():\n    {body}\n"
    _, feedback = await grade(box, custom(PROBE_TESTS, "probe"), code)
    assert feedback.tests[0].actual is not None, feedback
    return feedback.tests[0].actual


async def test_the_run_sees_no_secrets_of_the_grader(box: Sandbox, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("GRINDSTONE_SECRET", "do-not-leak")
    seen = await probe(box, "return sorted(os.environ)")
    assert "GRINDSTONE_SECRET" not in seen
    assert "NATS_URL" not in seen


async def test_the_scratch_folder_is_emptied_afterwards(box: Sandbox):
    code = "open('left-behind.txt', 'w').write('x')\n    return os.getcwd()"
    folder = (await probe(box, code)).strip("'")
    assert folder.startswith("/")
    # the slot's tmpfs is mounted in the zygote's mount namespace only: seen through its root
    assert not await asyncio.to_thread(os.path.exists, folder)
    inside = f"/proc/{box.pids()[0]}/root{folder}"
    for _ in range(500):  # the judge cleans up after it has reported: up to 10 s
        if not (left := await asyncio.to_thread(os.listdir, inside)):
            break
        await asyncio.sleep(0.02)
    assert left == []


async def test_every_layer_but_cgroups_is_on_here_with_the_real_interpreter(box: Sandbox):
    assert os.geteuid() == 0, "the integration tests run as root on this machine"
    on = {name for name, state in box.layers.items() if state.startswith("on")}
    assert on == {"uid", "rlimits", "landlock", "seccomp", "network", "tmpfs"}, box.layers
    assert box.layers["cgroups"].startswith("off"), box.layers
    head = await asyncio.to_thread(Path(box.python).read_bytes)
    assert head[:4] == b"\x7fELF", box.python  # not a pyenv shim (a shell script): a real binary


async def test_threads_and_the_standard_library_work_inside_the_sandbox(box: Sandbox):
    code = (
        "import bisect, collections, datetime, decimal, fractions, functools, heapq, itertools\n"
        "import json, math, random, re, statistics, string, zoneinfo\n"
        "from concurrent.futures import ThreadPoolExecutor\n\n"
        "def add(a, b):\n"
        "    with ThreadPoolExecutor(4) as pool:\n"
        "        parts = list(pool.map(lambda x: x, [a, b]))\n"
        "    return int(fractions.Fraction(sum(parts)))\n"
    )
    status, feedback = await grade(box, custom(ADD_TESTS), code)
    assert (status, feedback.message) == ("passed", "All 3 tests passed."), feedback


async def test_a_dead_zygote_is_no_verdict_and_the_next_job_gets_a_new_one(box: Sandbox):
    """The sandbox's own failure is never judged: the caller grades the job again later."""
    sleeper = "import time\n\ndef add(a, b):\n    time.sleep(30)\n"
    job = SandboxJob(code=sleeper, tests=ADD_TESTS, test_style="module", entry_point="add")
    running = asyncio.create_task(box.run(job))
    await asyncio.sleep(0.5)
    os.kill(box.pids()[0], signal.SIGKILL)  # the zygote; its judges and children die with it
    with pytest.raises(SandboxError):
        await running
    status, feedback = await grade(box, custom(ADD_TESTS), "def add(a, b):\n    return a + b\n")
    assert (status, feedback.message) == ("passed", "All 3 tests passed.")


BINARY_SEARCH = Path(__file__).resolve().parents[3] / "assignments" / "src" / "11-binary-search"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ((BINARY_SEARCH / "solution.py").read_text(), "All 6 tests passed."),
        (
            "def binary_search(items, target):\n"
            "    for i in range(len(items)):\n"
            "        if items[i] == target:\n"
            "            return i\n"
            "    return -1\n",
            "read 1000 of 1000 elements; at most 23 are allowed",
        ),
        (  # the counter lives in the judge: the lent object has nothing of it to reach
            "def binary_search(items, target):\n"
            "    for name in ('reads', '_values', '__dict__', '__class__'):\n"
            "        try:\n"
            "            setattr(items, name, 0)\n"
            "        except (AttributeError, TypeError):\n"
            "            pass\n"
            "    values = list(items)\n"
            "    return values.index(target) if target in values else -1\n",
            "read 1001 of 1000 elements; at most 23 are allowed",  # list() reads until IndexError,
        ),
    ],
    ids=["binary", "linear", "tamper"],
)
async def test_an_object_of_the_tests_is_used_through_the_judge(
    box: Sandbox, code: str, message: str
):
    record = custom((BINARY_SEARCH / "tests.py").read_text(), "binary_search")
    _, feedback = await grade(box, record, code)
    failed = [t.message for t in feedback.tests if t.outcome == "failed"]
    assert (failed or [feedback.message]) == [message]


async def test_warmed_judges_are_forked_before_any_job_and_serve_the_first_ones(box: Sandbox):
    await box.warm(3)
    judges = box.pids()[1:]  # after the zygote's
    assert len(judges) == 3
    jobs = [
        SandboxJob(code=f"def add(a, b):\n    return a + b + {n}\n", tests=ADD_TESTS,
                   test_style="module", entry_point="add")
        for n in range(3)
    ]  # fmt: skip
    await asyncio.gather(*(box.run(job) for job in jobs))  # three at once: three slots
    assert box.pids()[1:] == judges  # no judge forked for them
