"""RunResult -> (status, Feedback): the verdict and the words a student reads. Pure."""

import math

from events import CaseFeedback, CodeError, Feedback, Verdict
from services.grader.results import FILE_SIZE_MB, CaseResult, LoadError, RunResult

TEXT_BYTES = 2048  # every text field of the feedback
OUTPUT_BYTES = 4096  # captured output, per test and outside the tests
SUMMARY_NAMES = 3  # failing tests named in the overall message
CALL_BYTES = 400  # the failing call (the judge shortens it to about 160 characters)
MAX_CASES = 200
NOT_LOADED = "Not run: your code could not be loaded."


def cap(text: str, limit: int = TEXT_BYTES) -> str:
    """At most `limit` bytes of UTF-8, marked with an ellipsis when cut."""
    data = text.encode("utf-8", "replace")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", "ignore") + "…"


def judge(result: RunResult) -> tuple[Verdict, Feedback]:
    if result.fault is not None:
        return "error", _feedback(f"The grader could not grade this: {result.fault}.", result)
    if result.limit is not None:
        return "failed", _feedback(limit_message(result), result, stopped=limit_message(result))
    if result.load_error is not None:
        return "failed", _feedback(load_message(result.load_error), result, stopped=NOT_LOADED)
    if not result.finished:
        stopped = f"The program stopped before the tests finished ({result.exit_status})."
        return "failed", _feedback(stopped, result, stopped=stopped)
    if not result.cases:
        return "error", _feedback("The assignment has no tests; nothing was graded.", result)
    ran = [case for case in result.cases if case.outcome != "skipped"]  # the author's skips
    if not ran:
        return "error", _feedback(
            "The assignment's tests are all skipped; nothing was graded.", result
        )
    failed = [case for case in ran if case.outcome != "passed"]
    if not failed:
        return "passed", _feedback(_all_passed(len(ran)), result)
    return "failed", _feedback(_failed(failed, len(ran)), result)


def limit_message(result: RunResult) -> str:
    limits = result.limits
    match result.limit:
        case "wall":
            wall = _s(limits.wall_ms)
            return f"Time limit exceeded: the program ran longer than {wall} (wall clock)."
        case "cpu":  # enforced by RLIMIT_CPU, in whole seconds
            cpu = _s(math.ceil(limits.cpu_ms / 1000) * 1000)
            return f"Time limit exceeded: the program used more than {cpu} of CPU time."
        case "memory":
            return f"Memory limit exceeded ({limits.memory_mb} MiB)."
        case "output":
            return f"Output limit exceeded ({limits.output_kb} KiB)."
        case _:
            return f"File size limit exceeded: a file grew past {FILE_SIZE_MB} MiB."


def load_message(error: LoadError) -> str:
    if not error.type:
        return error.detail
    where = f" on line {error.line}" if error.line else ""
    return f"{error.type}{where}: {error.detail}" if error.detail else f"{error.type}{where}."


def _s(ms: int) -> str:
    return f"{ms / 1000:g} s"


def _all_passed(count: int) -> str:
    return "The test passed." if count == 1 else f"All {count} tests passed."


def _failed(failed: list[CaseResult], ran: int) -> str:
    """One short line: how many failed and which (each test's card has the details)."""
    names = [cap(case.name, 80) for case in failed[:SUMMARY_NAMES]]
    more = len(failed) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    return f"{len(failed)} of {ran} tests failed: {listed}."


def _feedback(message: str, result: RunResult, stopped: str = "") -> Feedback:
    error = result.load_error
    return Feedback(
        message=cap(message),
        tests=_cases(result, stopped)[:MAX_CASES],
        output=cap(result.output, OUTPUT_BYTES),
        load_error=None if error is None else _code_error(error),
    )


def _code_error(error: LoadError) -> CodeError:
    return CodeError(
        error=cap(f"{error.type}: {error.detail}" if error.type else error.detail),
        line=error.line,
        source_line=_maybe_cap(error.source_line),
    )


def _cases(result: RunResult, stopped: str) -> list[CaseFeedback]:
    """The tests that ran; the one running when the run stopped failed; the rest were skipped."""
    done = {case.name for case in result.cases}
    cases = [_case(case) for case in result.cases]
    for name in result.names:
        if name in done:
            continue
        if name == result.running:
            message = stopped or "The run stopped during this test."
            seen = result.witnessed
            cases.append(
                CaseFeedback(
                    name=cap(name),
                    outcome="failed",
                    message=cap(message),
                    call=None if seen is None or seen.call is None else cap(seen.call, CALL_BYTES),
                    stdin=None if seen is None else _maybe_cap(seen.stdin),
                )
            )
        else:
            cases.append(_skipped(name, result.load_error))
    return cases


def _skipped(name: str, error: LoadError | None) -> CaseFeedback:
    """A test not run; the load error that stopped it is told once (Feedback.load_error)."""
    message = NOT_LOADED if error is not None else "Not run: the run stopped earlier."
    return CaseFeedback(name=cap(name), outcome="skipped", message=message)


def _case(case: CaseResult) -> CaseFeedback:
    return CaseFeedback(
        name=cap(case.name),
        outcome=case.outcome,
        message=cap(case.message),
        expected=_maybe_cap(case.expected),
        actual=_maybe_cap(case.actual),
        line=case.line,
        source_line=_maybe_cap(case.source_line),
        error=_maybe_cap(case.error),
        output=cap(case.output, OUTPUT_BYTES),
        call=None if case.call is None else cap(case.call, CALL_BYTES),
        stdin=_maybe_cap(case.stdin),
        text=case.text,
    )


def _maybe_cap(text: str | None) -> str | None:
    return None if text is None else cap(text)
