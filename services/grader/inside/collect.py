"""A tests module's cases as pytest would collect and name them: `test*` functions, the
`test*` methods of `Test*` and unittest.TestCase classes, parameters expanded, fixtures
(`capsys`, `capfd`, `monkeypatch`, `tmp_path`, `request`, the module's own) made once per
test and closed after it."""

import inspect
import pathlib
import sys
import tempfile
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    callable,
    enumerate,
    getattr,
    isinstance,
    len,
    next,
    zip,
)
from collections.abc import Callable
from typing import Any

import testkit

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
    "capsys": testkit.CaptureFixture,
    "capfd": testkit.CaptureFixture,
    "monkeypatch": testkit.MonkeyPatch,
}


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
                raise testkit.Skipped(str(exc)) from None
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
            raise testkit.Skipped("marked skip")
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
