"""verdict.judge: the status and the words a student reads, from a RunResult."""

from hypothesis import given
from hypothesis import strategies as st

from events import CodeError, Limits
from services.grader.results import CaseResult, LoadError, RunResult, Witnessed
from services.grader.verdict import OUTPUT_BYTES, TEXT_BYTES, cap, judge

NAMES = ["test_add", "test_sub", "test_mul"]


def passed(name: str) -> CaseResult:
    return CaseResult(name=name, outcome="passed")


def run(**fields: object) -> RunResult:
    defaults: dict[str, object] = {"limits": Limits(), "names": list(NAMES), "finished": True}
    return RunResult(**{**defaults, **fields})  # type: ignore[arg-type]


def test_every_test_passing_gives_passed_and_counts_them():
    status, feedback = judge(run(cases=[passed(n) for n in NAMES]))
    assert status == "passed"
    assert feedback.message == "All 3 tests passed."
    assert [t.outcome for t in feedback.tests] == ["passed"] * 3


def test_a_single_passing_test_reads_naturally():
    status, feedback = judge(run(names=["test_check"], cases=[passed("test_check")]))
    assert (status, feedback.message) == ("passed", "The test passed.")


def test_a_failed_comparison_quotes_expected_and_actual():
    wrong = CaseResult(
        name="test_add", outcome="failed", message="assert add(2, 3) == 5", expected="5", actual="4"
    )
    status, feedback = judge(run(cases=[wrong, passed("test_sub"), passed("test_mul")]))
    assert status == "failed"
    assert feedback.message == "1 of 3 tests failed: test_add."  # the card has the values
    assert (feedback.tests[0].expected, feedback.tests[0].actual) == ("5", "4")


def test_an_exception_in_the_student_code_names_its_line():
    boom = CaseResult(
        name="test_sub",
        outcome="failed",
        error="ZeroDivisionError: division by zero",
        line=4,
        source_line="return a / 0",
    )
    _, feedback = judge(run(cases=[passed("test_add"), boom, passed("test_mul")]))
    assert feedback.message == "1 of 3 tests failed: test_sub."
    assert feedback.tests[1].line == 4
    assert feedback.tests[1].source_line == "return a / 0"


def test_the_summary_names_the_failed_tests_and_repeats_none_of_their_values():
    long = "I" * 340
    cases = [
        CaseResult(name=f"test_{n}", outcome="failed", expected=long, actual="II")
        for n in ("a", "b", "c", "d", "e")
    ]
    _, feedback = judge(run(names=[c.name for c in cases], cases=cases))
    assert feedback.message == "5 of 5 tests failed: test_a, test_b, test_c and 2 more."
    assert feedback.tests[0].expected == long


def test_the_failing_call_and_input_reach_the_feedback_capped():
    wrong = CaseResult(
        name="test_add", outcome="failed", call="add(2, 3)", stdin="x" * 5000, text=True
    )
    (case,) = judge(run(names=["test_add"], cases=[wrong]))[1].tests
    assert (case.call, case.text) == ("add(2, 3)", True)
    assert case.stdin is not None and len(case.stdin.encode()) <= TEXT_BYTES
    assert case.stdin.endswith("…")


def test_the_wall_clock_limit_fails_the_running_test_and_skips_the_rest():
    result = run(
        cases=[passed("test_add")], running="test_sub", limit="wall", finished=False,
        limits=Limits(wall_ms=5_000),
    )  # fmt: skip
    status, feedback = judge(result)
    message = "Time limit exceeded: the program ran longer than 5 s (wall clock)."
    assert (status, feedback.message) == ("failed", message)
    assert [t.outcome for t in feedback.tests] == ["passed", "failed", "skipped"]
    assert feedback.tests[1].message == message


def test_each_limit_names_itself_and_its_value():
    limits = Limits(cpu_ms=2_500, memory_mb=128, output_kb=16)
    messages = {
        limit: judge(run(limit=limit, limits=limits, finished=False))[1].message
        for limit in ("cpu", "memory", "output", "file")
    }
    assert messages == {
        "cpu": "Time limit exceeded: the program used more than 3 s of CPU time.",  # whole seconds
        "memory": "Memory limit exceeded (128 MiB).",
        "output": "Output limit exceeded (16 KiB).",
        "file": "File size limit exceeded: a file grew past 16 MiB.",
    }
    assert {judge(run(limit=limit, finished=False))[0] for limit in messages} == {"failed"}


def test_a_syntax_error_points_at_its_line_and_no_test_runs():
    error = LoadError(type="SyntaxError", detail="invalid syntax", line=3, source_line="def f(:")
    status, feedback = judge(run(load_error=error))
    assert (status, feedback.message) == ("failed", "SyntaxError on line 3: invalid syntax")
    assert {t.outcome for t in feedback.tests} == {"skipped"}
    assert feedback.load_error == CodeError(
        error="SyntaxError: invalid syntax", line=3, source_line="def f(:"
    )
    assert {(t.line, t.error) for t in feedback.tests} == {(None, None)}  # told once


def test_a_missing_function_is_said_in_a_sentence():
    error = LoadError(type="", detail="Your code does not define the function add().")
    _, feedback = judge(run(load_error=error, names=[]))
    assert feedback.message == "Your code does not define the function add()."


def test_a_program_that_stops_early_fails_with_its_exit_status():
    result = run(cases=[passed("test_add")], running="test_sub", finished=False)
    result.exit_status = "exit status 3"
    status, feedback = judge(result)
    assert status == "failed"
    assert feedback.message == "The program stopped before the tests finished (exit status 3)."


def test_a_fault_of_the_grader_is_an_error_not_a_failure():
    status, feedback = judge(run(fault="the sandbox could not start: no such file"))
    assert status == "error"
    assert "the sandbox could not start" in feedback.message


def test_an_assignment_without_tests_is_an_error():
    status, _ = judge(run(names=[], cases=[]))
    assert status == "error"


def test_every_text_is_capped():
    huge = "é" * 10_000
    case = CaseResult(name="test_add", outcome="failed", message=huge, expected=huge, output=huge)
    _, feedback = judge(run(names=["test_add"], cases=[case], output=huge))
    (test,) = feedback.tests
    assert len(feedback.message.encode()) <= TEXT_BYTES
    assert len(test.message.encode()) <= TEXT_BYTES
    assert len((test.expected or "").encode()) <= TEXT_BYTES
    assert len(test.output.encode()) <= OUTPUT_BYTES
    assert len(feedback.output.encode()) <= OUTPUT_BYTES


@given(st.text(), st.integers(min_value=4, max_value=300))
def test_cap_keeps_a_prefix_within_the_byte_limit(text: str, limit: int):
    capped = cap(text, limit)
    if len(text.encode()) <= limit:
        assert capped == text
    else:
        assert len(capped.encode()) <= limit
        assert text.startswith(capped[:-1])


def test_a_test_the_author_skipped_counts_neither_way():
    skipped = CaseResult(name="test_mul", outcome="skipped", message="later")
    status, feedback = judge(run(cases=[passed("test_add"), passed("test_sub"), skipped]))
    assert (status, feedback.message) == ("passed", "All 2 tests passed.")
    assert [t.outcome for t in feedback.tests] == ["passed", "passed", "skipped"]
    wrong = CaseResult(name="test_add", outcome="failed", message="assert 1 == 2")
    status, feedback = judge(run(cases=[wrong, passed("test_sub"), skipped]))
    assert (status, feedback.message) == (
        "failed",
        "1 of 2 tests failed: test_add.",
    )


def test_tests_that_are_all_skipped_grade_nothing():
    skipped = [CaseResult(name=n, outcome="skipped") for n in NAMES]
    status, feedback = judge(run(cases=skipped))
    assert status == "error" and "skipped" in feedback.message


def test_the_test_a_limit_stopped_carries_the_call_it_was_in():
    result = run(
        running="test_add", limit="wall", finished=False,
        witnessed=Witnessed(call="add(1, 2)", stdin=None),
    )  # fmt: skip
    (stopped, *_) = judge(result)[1].tests
    assert (stopped.name, stopped.outcome, stopped.call) == ("test_add", "failed", "add(1, 2)")
