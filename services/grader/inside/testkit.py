"""What a course's tests use of pytest, for the judge (which has no pytest): `pytest.raises`,
`approx`, `fail`, `skip`, `fixture`, `mark.parametrize`/`skip`/`xfail`, and the fixtures
`capsys`, `capfd`, `monkeypatch`. `collect(module)` turns a tests module into named cases,
fixtures resolved, parameters expanded, as `pytest` would name them."""

import contextlib
import inspect
import io
import math
import pathlib
import re
import sys
import tempfile
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    abs,
    all,
    callable,
    enumerate,
    getattr,
    isinstance,
    len,
    max,
    next,
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


SCRATCH = {"folder": ""}  # the student's folder of the job (judge.py sets it)


class TmpPath:
    """tmp_path: a fresh folder in the student's own folder, so the student's code can read
    what the test writes there. It is the judge's (root's, 0755): the student's code cannot
    add anything to it, not even a symbolic link the test would then write through."""

    made = 0

    def __init__(self) -> None:
        TmpPath.made += 1
        base = SCRATCH["folder"] or tempfile.gettempdir()
        self.path = pathlib.Path(tempfile.mkdtemp(prefix=f"tmp_path_{TmpPath.made}_", dir=base))
        self.path.chmod(0o755)

    def close(self) -> None:
        pass  # the job's folders are emptied after the job


class FixtureRequest:
    """`request`, for fixtures that ask for it: its finalizers run after the test."""

    def __init__(self, closers: list[Callable[[], None]]) -> None:
        self.param, self.closers = None, closers

    def addfinalizer(self, finalizer: Callable[[], None]) -> None:
        self.closers.append(finalizer)

    def close(self) -> None:
        pass


BUILTIN_FIXTURES: dict[str, Callable[[], Any]] = {
    "capsys": CaptureFixture,
    "capfd": CaptureFixture,
    "monkeypatch": MonkeyPatch,
}


# collecting


def collect(module: Any) -> list[tuple[str, Callable[[], None]]]:
    """The module's tests as pytest names them, each a call with its fixtures: `test*`
    functions, and the `test*` methods of `Test*` classes and of unittest.TestCase classes."""
    cases = []
    for name, found in list(vars(module).items()):
        if getattr(found, "__module__", None) != module.__name__:
            continue
        if isinstance(found, type):
            if name.startswith("Test") or _is_test_case(found):
                cases += _class_cases(module, name, found)
            continue
        if not (name.startswith("test") and callable(found)):
            continue
        for case_name, arguments in _expand(name, found):
            cases.append((case_name, _case(module, found, arguments)))
    return cases


def _is_test_case(cls: type) -> bool:
    unittest = sys.modules.get("unittest")
    return unittest is not None and issubclass(cls, unittest.TestCase)


def _class_cases(module: Any, name: str, cls: type) -> list[tuple[str, Callable[[], None]]]:
    """A class's test methods: a new instance for each, with its set-up and tear-down."""
    if not _is_test_case(cls) and "__init__" in vars(cls):
        return []  # pytest does not collect a Test class that has its own __init__
    cases = []
    for method in sorted(m for m in dir(cls) if m.startswith("test") and callable(getattr(cls, m))):
        function = getattr(cls, method)
        for case_name, arguments in _expand(f"{name}::{method}", function):
            cases.append((case_name, _method_case(module, cls, method, arguments)))
    return cases


def _method_case(
    module: Any, cls: type, method: str, arguments: dict[str, Any]
) -> Callable[[], None]:
    def run() -> None:
        if _is_test_case(cls):
            instance = cls(method)
            for hook in ("setUpClass",):
                getattr(cls, hook, lambda: None)()
            instance.setUp()
            try:
                getattr(instance, method)()
            except sys.modules["unittest"].SkipTest as exc:
                raise Skipped(str(exc)) from None
            finally:
                instance.tearDown()
                getattr(cls, "tearDownClass", lambda: None)()
            return
        instance = cls()
        getattr(instance, "setup_method", lambda m: None)(getattr(instance, method))
        try:
            bound = getattr(instance, method)
            _case(module, bound, arguments, skip_self=True)()
        finally:
            getattr(instance, "teardown_method", lambda m: None)(getattr(instance, method))

    return run


def _expand(name: str, function: Any) -> list[tuple[str, dict[str, Any]]]:
    cases: list[tuple[str, dict[str, Any]]] = [(name, {})]
    for one in reversed(getattr(function, "_gs_marks", [])):
        if one.name != "parametrize":
            continue
        names, rows = one.args[0], list(one.args[1])
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        ids = one.kwargs.get("ids")
        expanded = []
        for case_name, arguments in cases:
            for index, row in enumerate(rows):
                row = row if len(names) > 1 else (row,)
                label = ids[index] if isinstance(ids, list | tuple) else _id(names, row, index)
                joined = (
                    f"{case_name}[{label}]"
                    if "[" not in case_name
                    else f"{case_name[:-1]}-{label}]"
                )
                expanded.append((joined, {**arguments, **dict(zip(names, row, strict=False))}))
        cases = expanded
    return cases


def _id(names: list[str], row: tuple[Any, ...], index: int) -> str:
    parts = []
    for argname, value in zip(names, row, strict=False):
        if value is None or isinstance(value, bool | int | float):
            parts.append(str(value))
        elif isinstance(value, str) and value.isprintable() and len(value) <= 30:
            parts.append(value)
        else:
            parts.append(f"{argname}{index}")
    return "-".join(parts)


def _case(
    module: Any, function: Any, arguments: dict[str, Any], skip_self: bool = False
) -> Callable[[], None]:
    def run() -> None:
        marks = {m.name: m for m in getattr(function, "_gs_marks", [])}
        if "skip" in marks or (
            "skipif" in marks and marks["skipif"].args and marks["skipif"].args[0]
        ):
            raise Skipped("marked skip")
        closers: list[Callable[[], None]] = []
        made: dict[str, Any] = {}  # each fixture once per test, shared by those that use it
        try:
            kwargs = dict(arguments)
            for parameter in _parameters(function)[1 if skip_self else 0 :]:
                if parameter not in kwargs:
                    kwargs[parameter] = _fixture(module, parameter, closers, made)
            function(**kwargs)
        finally:
            for close in reversed(closers):
                close()

    return run


def _parameters(function: Any) -> list[str]:
    """The names a test or fixture takes (its code's, without inspect's cost per call)."""
    code = getattr(function, "__code__", None)
    if code is None:
        return list(inspect.signature(function).parameters)
    return list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])


def _fixture(
    module: Any, name: str, closers: list[Callable[[], None]], made: dict[str, Any]
) -> Any:
    if name in made:
        return made[name]
    if name in BUILTIN_FIXTURES:
        value = BUILTIN_FIXTURES[name]()
        closers.append(value.close)
    elif name == "tmp_path":
        value = TmpPath().path
    elif name == "request":
        value = FixtureRequest(closers)
    else:
        function = getattr(module, name, None)
        if not getattr(function, "_gs_fixture", False):
            raise LookupError(f"fixture {name!r} not found")
        kwargs = {
            parameter: _fixture(module, parameter, closers, made)
            for parameter in _parameters(function)
        }
        value = function(**kwargs)
        if inspect.isgenerator(value):
            generator = value
            value = next(generator)
            closers.append(lambda: next(generator, None))
    made[name] = value
    return value
