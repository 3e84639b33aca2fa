"""What went wrong in a test, in the student's terms; runs in the judge (stdlib only).

An exception the student's code raised reaches the judge as an exception with a `student`
attribute (type, detail, line, source_line), described where it was raised (student.py).
"""

import ast
import contextlib
import functools
import os
import reprlib
from builtins import getattr, isinstance  # noqa: UP029 - bound now: tests may patch builtins
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

from witness import Witness

TEXT_CHARS = 2048  # the parent caps every text again
CHECK_FAILED = "The test's check failed."
VALUE_DIFFERS = "The value differs from the one expected."
OUTPUT_DIFFERS = "Your program's output differs from the one expected."
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = _repr.maxlong = 1000
_repr.maxlist = _repr.maxtuple = _repr.maxset = _repr.maxdict = 100
_repr.maxlevel = 6


def show(value: object) -> str:
    try:
        return _repr.repr(value)[:TEXT_CHARS]
    except Exception:  # a broken __repr__, or an int too long to print
        return f"<{type(value).__name__} object>"


def error_text(exc: BaseException) -> str:
    detail = exc.msg if isinstance(exc, SyntaxError) else str(exc).strip()
    return f"{type(exc).__name__}: {detail}"[:TEXT_CHARS] if detail else type(exc).__name__


def student_error(info: dict[str, Any]) -> str:
    return f"{info['type']}: {info['detail']}" if info.get("detail") else str(info["type"])


def is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def evaluate(node: ast.expr, frame: FrameType) -> object:
    code = compile(ast.Expression(body=node), "test_solution.py", "eval")
    return eval(code, frame.f_globals, frame.f_locals)


class Explain:
    def __init__(
        self,
        tests: str,
        quiet: Callable[[], contextlib.AbstractContextManager[Any]],
        witness: Witness,
    ) -> None:
        self.tests, self.quiet, self.witness = tests, quiet, witness

    @functools.cached_property
    def tests_source(self) -> str:
        with open(self.tests, encoding="utf-8") as f:
            return f.read()

    def declared_tests(self) -> list[str]:
        """The tests' names, read without running the test module."""
        try:
            tree = ast.parse(self.tests_source)
        except (SyntaxError, ValueError):
            return []
        functions = (ast.FunctionDef, ast.AsyncFunctionDef)
        return [n.name for n in tree.body if isinstance(n, functions) and n.name[:5] == "test_"]

    def exception(self, exc: BaseException) -> dict[str, Any]:
        theirs: dict[str, Any] | None = getattr(exc, "student", None)
        if theirs is None:  # the tests' own code raised (on what the student's code gave?)
            error = error_text(exc)
            return {"outcome": "failed", "message": error, "error": error, **self.outcome()}
        error = student_error(theirs)
        where = f" on line {theirs['line']}" if theirs.get("line") else ""
        return {
            "outcome": "failed",
            "message": f"Your code raised {error}{where}.",
            "error": error,
            "line": theirs.get("line"),
            "source_line": theirs.get("source_line"),
        }

    def outcome(self) -> dict[str, Any]:
        """What the last call returned (or the program printed), as the actual value."""
        return {k: v for k, v in self.witness.outcome().items() if k != "text" or v}

    def assertion(self, exc: AssertionError) -> dict[str, Any]:
        if getattr(exc, "student", None) is not None:  # the student's own assert
            return self.exception(exc)
        tb = self.last_test_traceback(exc)
        node = self.assert_node(tb.tb_lineno) if tb else None
        text = str(exc).strip()
        if tb is None or node is None:  # `raise AssertionError(...)`: its message says it all
            return {"outcome": "failed", "message": text or CHECK_FAILED, **self.outcome()}
        # never the assert's text or line: the tests are hidden from the student
        given = self.outcome()  # before `compare` calls the student's code again
        compared = self.compare(node, tb.tb_frame)
        if not compared:
            return {"outcome": "failed", "message": text or CHECK_FAILED, **given}
        differ = OUTPUT_DIFFERS if compared.get("text") else VALUE_DIFFERS
        return {"outcome": "failed", "message": text or differ, **compared}

    def last_test_traceback(self, exc: BaseException) -> TracebackType | None:
        tb, found = exc.__traceback__, None
        while tb is not None:
            if os.path.abspath(tb.tb_frame.f_code.co_filename) == self.tests:
                found = tb
            tb = tb.tb_next
        return found

    def assert_node(self, line: int) -> ast.Assert | None:
        for node in ast.walk(ast.parse(self.tests_source)):
            if isinstance(node, ast.Assert) and node.lineno <= line <= (node.end_lineno or line):
                return node
        return None

    def compare(self, node: ast.Assert, frame: FrameType) -> dict[str, Any]:
        """`assert a == b`: both sides again, in the failing frame, to show expected vs actual."""
        test = node.test
        if not (
            isinstance(test, ast.Compare) and [type(o) for o in test.ops] in ([ast.Eq], [ast.Is])
        ):
            return {}
        actual, expected = test.left, test.comparators[0]
        if is_literal(actual) and not is_literal(expected):  # `assert 5 == add(2, 3)`
            actual, expected = expected, actual
        try:
            with self.quiet():
                want, got = evaluate(expected, frame), evaluate(actual, frame)
            same = want is got if isinstance(test.ops[0], ast.Is) else want == got
            if same:  # code that answers differently the second time: no values to show
                return {}
            printed = self.witness.printed(want, got)
            if printed is not None:
                return {"expected": printed[0], "actual": printed[1], "text": True}
            return {"expected": show(want), "actual": show(got)}
        except Exception:  # the second evaluation failed: keep the assert line only
            return {}
