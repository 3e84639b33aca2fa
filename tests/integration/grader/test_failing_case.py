"""The real sandbox shows each failing case: the call or stdin that produced it, printed
output as text, long values shortened, a load error once, nothing of the hidden tests."""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from events import CodeError, Feedback, Limits, Verdict
from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxJob
from tests.integration.grader.helpers import STYLES, problems

HIDDEN = """
from solution import add

SECRET = "hidden-test-text"


def test_add():
    expected = 5
    assert add(2, 3) == expected


def test_long_argument():
    assert add("I" * 340, "!") == "I" * 340 + "!"


def test_keywords_and_objects():
    assert add(a=[1, 2, 3], b=(4,)) == [1, 2, 3, 4]


def test_a_check_without_values():
    assert add(0.1, 0.2) is not None and SECRET.startswith("hidden")
"""


@pytest.fixture
async def box() -> AsyncIterator[Sandbox]:
    sandbox = Sandbox()
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.close()


async def grade(box: Sandbox, record: dict[str, Any], code: str) -> tuple[Verdict, Feedback]:
    job = SandboxJob(
        code=code,
        tests=record["tests"],
        test_style=STYLES[record["test_style"]],  # type: ignore[arg-type]
        entry_point=record.get("entry_point"),
        limits=Limits(),
    )
    return verdict.judge(await box.run(job))


def module(tests: str) -> dict[str, Any]:
    return {"tests": tests, "test_style": "module:solution", "entry_point": "add"}


def curriculum(name: str) -> dict[str, Any]:
    return problems("../../assignments/curriculum.jsonl")[f"grindstone/{name}"]


async def test_a_function_tasks_failing_test_shows_its_call_and_values(box: Sandbox):
    _, feedback = await grade(box, module(HIDDEN), "def add(a, b):\n    return 3\n")
    case = {t.name: t for t in feedback.tests}["test_add"]
    assert (case.call, case.expected, case.actual, case.text) == ("add(2, 3)", "5", "3", False)
    assert case.message == "The value differs from the one expected."


async def test_a_long_argument_is_shortened_in_the_call(box: Sandbox):
    _, feedback = await grade(box, module(HIDDEN), "def add(a, b):\n    return None\n")
    case = {t.name: t for t in feedback.tests}["test_long_argument"]
    assert case.call is not None and len(case.call) <= 160
    assert case.call.startswith("add('IIII") and "…" in case.call and case.call.endswith("'!')")
    assert case.expected == repr("I" * 340 + "!")  # the value itself is whole (the page folds it)
    assert feedback.message == (
        "4 of 4 tests failed: test_add, test_long_argument, test_keywords_and_objects and 1 more."
    )


async def test_keyword_arguments_and_a_value_without_comparison_are_shown(box: Sandbox):
    _, feedback = await grade(box, module(HIDDEN), "def add(a, b):\n    return None\n")
    cases = {t.name: t for t in feedback.tests}
    assert cases["test_keywords_and_objects"].call == "add(a=[1, 2, 3], b=(4,))"
    check = cases["test_a_check_without_values"]
    assert (check.call, check.actual, check.expected) == ("add(0.1, 0.2)", "None", None)
    assert check.message == "The test's check failed."


async def test_no_text_or_line_of_the_hidden_tests_reaches_the_feedback(box: Sandbox):
    _, feedback = await grade(box, module(HIDDEN), "def add(a, b):\n    return None\n")
    shown = str(feedback)
    assert "hidden-test-text" not in shown and "SECRET" not in shown
    assert "test_solution.py" not in shown and "line " not in shown and "assert" not in shown


async def test_a_stdio_tasks_failure_shows_its_stdin_and_printed_text(box: Sandbox):
    record = curriculum("01-hello")
    _, feedback = await grade(box, record, 'print("Hello, Grindstone")\n')
    case = {t.name: t for t in feedback.tests}["test_ignores_any_input"]
    assert case.stdin == "some input nobody asked for\n"
    assert (case.expected, case.actual, case.text) == (
        "Hello, Grindstone!\n", "Hello, Grindstone\n", True,
    )  # fmt: skip
    assert case.message == "Your program's output differs from the one expected."


async def test_printed_text_keeps_its_own_layout_of_whitespace(box: Sandbox):
    record = curriculum("02-sum-of-two")
    _, feedback = await grade(box, record, "print(' 7  ')\n")
    case = next(t for t in feedback.tests if t.outcome == "failed")
    assert (case.stdin, case.expected, case.actual) == ("10\n32\n", " 42  \n", " 7  \n")


async def test_a_syntax_error_is_reported_once_with_its_line(box: Sandbox):
    code = "def add(a, b):\n    return a +\n"
    status, feedback = await grade(box, module(HIDDEN), code)
    assert status == "failed"
    assert feedback.load_error == CodeError(
        error="SyntaxError: invalid syntax", line=2, source_line="return a +"
    )
    assert len(feedback.tests) == 4
    assert all(
        t.outcome == "skipped" and t.line is None and t.error is None for t in feedback.tests
    )


async def test_a_stdio_program_that_crashes_names_the_students_line(box: Sandbox):
    record = curriculum("02-sum-of-two")
    code = "a, b = input().split()\nprint(int(a) + int(b))\n"
    _, feedback = await grade(box, record, code)
    case = {t.name: t for t in feedback.tests}["test_reads_numbers_from_separate_lines"]
    assert case.stdin == "10\n32\n"
    assert (case.line, case.source_line) == (1, "a, b = input().split()")
    assert case.error == "ValueError: not enough values to unpack (expected 2, got 1)"


async def test_the_test_a_limit_stopped_shows_the_call_it_was_in(box: Sandbox):
    code = "def add(a, b):\n    while b:\n        pass\n    return a\n"
    job = SandboxJob(
        code=code,
        tests=HIDDEN,
        test_style="module",
        entry_point="add",
        limits=Limits(cpu_ms=1_000, wall_ms=20_000),
    )
    status, feedback = verdict.judge(await box.run(job))
    assert status == "failed"
    assert feedback.message == "Time limit exceeded: the program used more than 1 s of CPU time."
    stopped = feedback.tests[0]
    assert (stopped.name, stopped.outcome, stopped.call) == ("test_add", "failed", "add(2, 3)")
