"""What `assignments check` counts as a problem and how it says so."""

import pytest

from events import CaseFeedback, Feedback
from grindstone_cli.checked import Run, Summary, describe, summary_line


def run(solution: str, status: str, feedback: Feedback | None = None) -> Run:
    return Run(
        source_id="demo/add",
        line=3,
        solution=solution,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        feedback=feedback or Feedback(message="All 2 tests passed."),
    )


@pytest.mark.parametrize(
    ("solution", "status", "problem"),
    [
        ("solution", "passed", False),
        ("solution", "failed", True),
        ("solution", "error", True),
        ("wrong_solution", "failed", False),
        ("wrong_solution", "passed", True),
        ("wrong_solution", "error", True),  # not failed as a student's wrong code would be
    ],
)
def test_a_reference_must_pass_and_a_wrong_solution_must_fail(solution, status, problem) -> None:
    assert run(solution, status).problem is problem


def test_the_summary_counts_in_words() -> None:
    one = Summary(
        records=1,
        references=1,
        references_passed=1,
        wrong_solutions=1,
        wrong_solutions_failed=1,
        not_checked=0,
        problems=1,
    )
    assert summary_line(one) == "1 record: 1 reference passed, 1 wrong solution failed, 1 problem"


def test_a_failed_test_is_described_indented_with_control_characters_escaped() -> None:
    case = CaseFeedback(
        name="test_adds",
        outcome="failed",
        message="assert got == expected",
        expected="3",
        actual="2",
        line=2,
        source_line="    return a * b",
        output="\x1b[2Jadding\nmore",
    )
    feedback = Feedback(message="1 of 1 tests failed.", tests=[case])
    assert describe(run("solution", "failed", feedback)) == [
        "demo/add: solution failed (record on line 3)",
        "    1 of 1 tests failed.",
        "    test_adds: failed",
        "        assert got == expected",
        "        expected: 3",
        "        actual: 2",
        "        solution line 2: return a * b",
        "        output: \\x1b[2Jadding",
        "            more",
    ]
