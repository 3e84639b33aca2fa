"""What a course's tests use of pytest, for the judge (which has no pytest): `pytest.raises`,
`approx`, `fail`, `skip`, `fixture`, `mark.parametrize`/`skip`/`xfail`, and the fixtures
`capsys`, `capfd`, `monkeypatch`; collect.py turns a tests module into named cases."""

import contextlib
import io
import math
import re
import sys
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    abs,
    all,
    callable,
    getattr,
    isinstance,
    len,
    max,
    setattr,
    zip,
)
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

__all__ = ["approx", "fail", "fixture", "mark", "raises", "skip"]


class Skipped(Exception):
    """pytest.skip() or a skip mark: the case is reported as skipped."""


class Failed(AssertionError):
    """pytest.fail()."""


def fail(reason: str = "", pytrace: bool = True) -> None:
    raise Failed(reason)


def skip(reason: str = "") -> None:
    raise Skipped(reason)


# raises


class ExceptionInfo:
    def __init__(self) -> None:
        self.value: BaseException | None = None
        self.type: type[BaseException] | None = None

    def match(self, pattern: str) -> bool:
        assert re.search(pattern, str(self.value)), (
            f"{pattern!r} does not match {str(self.value)!r}"
        )
        return True

    def __repr__(self) -> str:
        return f"<ExceptionInfo {self.value!r}>"


class RaisesContext:
    def __init__(self, expected: Any, match: str | None) -> None:
        self.expected, self.pattern, self.info = expected, match, ExceptionInfo()

    def __enter__(self) -> ExceptionInfo:
        return self.info

    def __exit__(self, kind: Any, value: Any, tb: Any) -> bool:
        if kind is None:
            raise Failed(f"DID NOT RAISE {_names(self.expected)}")
        if not issubclass(kind, self.expected):
            return False
        self.info.value, self.info.type = value, kind
        if self.pattern is not None and not re.search(self.pattern, str(value)):
            raise AssertionError(
                f"Regex pattern did not match.\n Regex: {self.pattern!r}\n Input: {str(value)!r}"
            )
        return True


def _names(expected: Any) -> str:
    if isinstance(expected, tuple):
        return " or ".join(_names(e) for e in expected)
    return f"<class '{getattr(expected, '__name__', expected)}'>"


def raises(expected: Any, *args: Any, match: str | None = None, **kwargs: Any) -> Any:
    context = RaisesContext(expected, match)
    if not args:
        return context
    with context as info:
        args[0](*args[1:], **kwargs)
    return info


# approx


class approx:
    def __init__(self, expected: Any, rel: float | None = None, abs: float | None = None) -> None:
        self.expected, self.rel, self.abs = expected, rel, abs

    def __eq__(self, actual: Any) -> bool:
        return _close(actual, self.expected, self.rel, self.abs)

    def __ne__(self, actual: Any) -> bool:
        return not self == actual

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"approx({self.expected!r})"


def _close(actual: Any, expected: Any, rel: float | None, tol: float | None) -> bool:
    if isinstance(expected, Mapping):
        return (
            isinstance(actual, Mapping)
            and set(actual) == set(expected)
            and all(_close(actual[k], expected[k], rel, tol) for k in expected)
        )
    if isinstance(expected, list | tuple):
        return (
            isinstance(actual, list | tuple)
            and len(actual) == len(expected)
            and all(_close(a, e, rel, tol) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(expected, bool) or not isinstance(expected, int | float | complex):
        return bool(actual == expected)
    if isinstance(actual, bool) or not isinstance(actual, int | float | complex):
        try:
            actual = float(actual)  # Decimal, Fraction
        except (TypeError, ValueError):
            return False
    if actual == expected:
        return True
    if isinstance(expected, float) and math.isinf(expected):
        return False
    tolerance = max(
        (1e-6 if rel is None and tol is None else (rel or 0.0)) * abs(expected),
        1e-12 if tol is None else tol,
    )
    return abs(actual - expected) <= tolerance


# marks and fixtures


class _Mark:
    def __init__(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.name, self.args, self.kwargs = name, args, kwargs

    def __call__(self, function: Any) -> Any:
        marks = list(getattr(function, "_gs_marks", []))
        function._gs_marks = [self, *marks]
        return function


class _Marks:
    def __getattr__(self, name: str) -> Callable[..., Any]:
        def make(*args: Any, **kwargs: Any) -> Any:
            if len(args) == 1 and callable(args[0]) and not kwargs and name not in ("skipif",):
                return _Mark(name, (), {})(args[0])
            return _Mark(name, args, kwargs)

        return make


mark = _Marks()


def fixture(function: Any = None, **options: Any) -> Any:
    def wrap(f: Any) -> Any:
        f._gs_fixture = True
        return f

    return wrap(function) if callable(function) else wrap


def param(*values: Any, id: str | None = None, marks: Any = ()) -> tuple[Any, ...]:
    return values


class CaptureResult(NamedTuple):
    out: str
    err: str


class CaptureFixture:
    """capsys: the test's own stdout/stderr (and what the student's code prints into them)."""

    def __init__(self) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        self.saved = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self.out, self.err

    def readouterr(self) -> CaptureResult:
        result = CaptureResult(self.out.getvalue(), self.err.getvalue())
        for stream in (self.out, self.err):
            stream.seek(0)
            stream.truncate()
        return result

    @contextlib.contextmanager
    def disabled(self) -> Iterator[None]:
        now = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self.saved
        try:
            yield
        finally:
            sys.stdout, sys.stderr = now

    def close(self) -> None:
        sys.stdout, sys.stderr = self.saved


_MISSING = object()


class MonkeyPatch:
    def __init__(self) -> None:
        self.undo: list[Callable[[], None]] = []

    def setattr(self, target: Any, name: Any, value: Any = _MISSING, raising: bool = True) -> None:
        if value is _MISSING:  # setattr("module.attr", value)
            value, (target, name) = name, _locate(str(target))
        old = getattr(target, name, _MISSING)
        if old is _MISSING and raising:
            raise AttributeError(f"{target!r} has no attribute {name!r}")
        setattr(target, name, value)
        self.undo.append(
            lambda: delattr(target, name) if old is _MISSING else setattr(target, name, old)
        )

    def delattr(self, target: Any, name: Any = _MISSING, raising: bool = True) -> None:
        if name is _MISSING:
            target, name = _locate(str(target))
        old = getattr(target, name, _MISSING)
        if old is _MISSING:
            if raising:
                raise AttributeError(name)
            return
        delattr(target, name)
        self.undo.append(lambda: setattr(target, name, old))

    def setitem(self, mapping: Any, key: Any, value: Any) -> None:
        old = mapping.get(key, _MISSING)
        mapping[key] = value
        self.undo.append(
            lambda: mapping.pop(key) if old is _MISSING else mapping.__setitem__(key, old)
        )

    def delitem(self, mapping: Any, key: Any, raising: bool = True) -> None:
        if key not in mapping:
            if raising:
                raise KeyError(key)
            return
        old = mapping.pop(key)
        self.undo.append(lambda: mapping.__setitem__(key, old))

    def setenv(self, name: str, value: str, prepend: str | None = None) -> None:
        import os

        self.setitem(os.environ, name, str(value))

    def delenv(self, name: str, raising: bool = True) -> None:
        import os

        self.delitem(os.environ, name, raising)

    def context(self) -> Any:
        return contextlib.nullcontext(self)

    def close(self) -> None:
        while self.undo:
            self.undo.pop()()


def _locate(dotted: str) -> tuple[Any, str]:
    import importlib

    path, _, name = dotted.rpartition(".")
    parts = path.split(".")
    target = importlib.import_module(parts[0])
    for part in parts[1:]:
        target = getattr(target, part)
    return target, name
