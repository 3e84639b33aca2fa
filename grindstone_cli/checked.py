"""What `grindstone assignments check` found: each run judged, the problems in words or JSON."""

import sys
from typing import Literal

import msgspec

from events import CaseFeedback, Feedback, Verdict
from grindstone_cli.problemset import Record

INDENT = "    "

Which = Literal["solution", "wrong_solution"]


class Run(msgspec.Struct, frozen=True, kw_only=True):
    """One solution of one record, judged."""

    source_id: str
    line: int
    solution: Which
    status: Verdict
    feedback: Feedback

    @property
    def problem(self) -> bool:
        """A reference that does not pass, or a wrong solution that does not fail."""
        return self.status != ("passed" if self.solution == "solution" else "failed")


class Summary(msgspec.Struct, frozen=True, kw_only=True):
    records: int
    references: int
    references_passed: int
    wrong_solutions: int
    wrong_solutions_failed: int
    not_checked: int
    problems: int


def summarize(records: list[Record], runs: list[Run]) -> Summary:
    references = [r for r in runs if r.solution == "solution"]
    wrong = [r for r in runs if r.solution == "wrong_solution"]
    return Summary(
        records=len(records),
        references=len(references),
        references_passed=sum(not r.problem for r in references),
        wrong_solutions=len(wrong),
        wrong_solutions_failed=sum(not r.problem for r in wrong),
        not_checked=sum(r.solution is None for r in records),
        problems=sum(r.problem for r in runs),
    )


def report(problems: list[Run], summary: Summary, *, as_json: bool) -> None:
    if as_json:
        for problem in problems:
            print(msgspec.json.encode(problem).decode())
        print(msgspec.json.encode(summary).decode())
        print(summary_line(summary), file=sys.stderr)  # stdout stays pure JSON Lines
        return
    for problem in problems:
        print("\n".join(describe(problem)))
    print(summary_line(summary))


def summary_line(s: Summary) -> str:
    parts = [
        _count(s.references_passed, "reference", "references") + " passed",
        _count(s.wrong_solutions_failed, "wrong solution", "wrong solutions") + " failed",
    ]
    if s.not_checked:
        parts.append(f"{s.not_checked} not checked")
    parts.append(_count(s.problems, "problem", "problems"))
    return f"{_count(s.records, 'record', 'records')}: {', '.join(parts)}"


def describe(run: Run) -> list[str]:
    """The problem's heading, then the feedback a student would read, indented."""
    heading = (
        f"{_printable(run.source_id)}: {run.solution} {run.status} (record on line {run.line})"
    )
    lines = [heading]
    lines += _indented(run.feedback.message, 1)
    error = run.feedback.load_error
    if error is not None:
        lines += _field("error", error.error, 1)
        if error.line is not None:
            lines += _field(f"solution line {error.line}", (error.source_line or "").strip(), 1)
    for case in run.feedback.tests:
        if case.outcome in ("failed", "error"):
            lines += _case(case)
    lines += _field("output", run.feedback.output, 1)
    return lines


def _case(case: CaseFeedback) -> list[str]:
    lines = [f"{INDENT}{_printable(case.name)}: {case.outcome}"]
    lines += _indented(case.message, 2)
    lines += _field("call", case.call, 2) + _field("stdin", case.stdin, 2)
    lines += _field("expected", case.expected, 2) + _field("actual", case.actual, 2)
    lines += _field("error", case.error, 2)
    if case.line is not None:
        lines += _field(f"solution line {case.line}", (case.source_line or "").strip() or "-", 2)
    return lines + _field("output", case.output, 2)


def _field(label: str, text: str | None, depth: int) -> list[str]:
    if not text:
        return []
    first, *rest = text.splitlines() or [""]
    return [f"{INDENT * depth}{label}: {_printable(first)}", *_indented("\n".join(rest), depth + 1)]


def _indented(text: str, depth: int) -> list[str]:
    return [f"{INDENT * depth}{_printable(line)}" for line in text.splitlines() if line.strip()]


def _printable(text: str) -> str:
    """Control characters escaped: a solution's output must not drive the terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
