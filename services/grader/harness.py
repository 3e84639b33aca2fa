"""Runs an assignment's tests against the student's code, inside the sandbox process.

Started as `python -I -S -B harness.py CONFIG` (JSON: scratch, style, entry_point, result_fd,
output_bytes, cpu_s). The scratch folder holds solution.py and test_solution.py. Reports JSON
lines on result_fd (the records of results.py). Standard library only: it runs without the
project on its path, and writes nothing outside scratch.
"""

import contextlib
import importlib
import importlib.util
import io
import json
import os
import resource
import signal
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

KEEP_CHARS = 4096  # output kept per test; the parent caps every text again


def _sibling(name: str) -> ModuleType:
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_grader_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


explain = _sibling("explain")


class Reporter:
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, kind: str, **fields: object) -> None:
        line = json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n"
        data = line.encode("utf-8", "replace")
        while data:
            data = data[os.write(self.fd, data) :]


class Capture(io.TextIOBase):
    """sys.stdout and sys.stderr of the student's code: kept per test, counted against the limit."""

    encoding = "utf-8"

    def __init__(self, reporter: Reporter, limit_bytes: int) -> None:
        super().__init__()
        self.reporter, self.limit = reporter, limit_bytes
        self.parts: list[str] = []
        self.kept = self.total = 0
        self.muted = False

    def write(self, text: str) -> int:
        if self.muted:
            return len(text)
        self.total += len(text.encode("utf-8", "replace"))
        if self.total > self.limit:
            self.reporter.send("limit", limit="output")
            os._exit(0)  # the student's code cannot catch this
        if self.kept < KEEP_CHARS:
            self.parts.append(text[: KEEP_CHARS - self.kept])
            self.kept += len(self.parts[-1])
        return len(text)

    def writable(self) -> bool:
        return True

    def take(self) -> str:
        text, self.parts, self.kept = "".join(self.parts), [], 0
        return text

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        self.muted = True
        try:
            yield
        finally:
            self.muted = False


class Run:
    def __init__(self, config: dict[str, Any], reporter: Reporter, capture: Capture) -> None:
        self.config, self.reporter, self.capture = config, reporter, capture
        self.solution = os.path.join(config["scratch"], "solution.py")
        tests = os.path.join(config["scratch"], "test_solution.py")
        self.explain = explain.Explain(self.solution, tests, capture.quiet)

    def main(self) -> None:
        problem = self.check_syntax() or self.load_solution()
        if problem:
            self.not_loaded(problem)
            return
        try:
            tests = self.collect()
        except MemoryError:
            raise
        except Exception as exc:
            self.fail_to_load_tests(exc)
            return
        self.reporter.send("tests", names=[name for name, _ in tests])
        for name, test in tests:
            self.reporter.send("start", name=name)
            self.reporter.send("case", name=name, **self.run_test(test))

    def not_loaded(self, problem: dict[str, Any]) -> None:
        self.reporter.send("load_error", **problem)
        self.reporter.send("tests", names=self.explain.declared_tests())

    def check_syntax(self) -> dict[str, Any] | None:
        with open(self.solution, "rb") as f:
            source = f.read()
        try:
            compile(source, self.solution, "exec", dont_inherit=True)
        except SyntaxError as exc:
            text = (exc.text or "").strip() or None
            return {
                "type": type(exc).__name__,
                "detail": exc.msg,
                "line": exc.lineno,
                "source_line": text,
            }
        except ValueError as exc:  # null bytes in the source
            return {"type": "SyntaxError", "detail": str(exc)}
        return None

    def load_solution(self) -> dict[str, Any] | None:
        if self.config["style"] != "module":
            return None  # a stdin/stdout program runs only as the tests start it
        try:
            module = importlib.import_module("solution")
        except MemoryError:
            raise
        except BaseException as exc:  # whatever the student's module-level code raises
            problem: dict[str, Any] = self.explain.load_error(exc)
            return problem
        finally:
            self.send_output()
        entry = self.config.get("entry_point")
        if entry and not callable(getattr(module, entry, None)):
            return {"type": "", "detail": f"Your code does not define the function {entry}()."}
        return None

    def send_output(self) -> None:
        text = self.capture.take()
        if text:
            self.reporter.send("output", text=text)

    def collect(self) -> list[tuple[str, Any]]:
        module = importlib.import_module("test_solution")
        self.send_output()
        return [
            (name, obj)
            for name, obj in vars(module).items()
            if name.startswith("test_")
            and callable(obj)
            and getattr(obj, "__module__", None) == module.__name__
        ]

    def fail_to_load_tests(self, exc: BaseException) -> None:
        if self.explain.student_frame(exc):  # the test module imports the student's code at once
            self.not_loaded(self.explain.load_error(exc))
        else:
            detail = f"the assignment's tests could not be loaded: {explain.error_text(exc)}"
            self.reporter.send("fault", detail=detail)

    def run_test(self, test: Any) -> dict[str, Any]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            test()
        except MemoryError:
            raise
        except AssertionError as exc:
            case = self.explain.assertion(exc)
        except BaseException as exc:  # the student's code may raise anything, even SystemExit
            case = self.explain.exception(exc)
        else:
            case = {"outcome": "passed"}
        self.check_children(case, before)
        return {**case, "output": self.capture.take()}

    def check_children(self, case: dict[str, Any], before: resource.struct_rusage) -> None:
        """A stdin/stdout program runs as a child: name the limit that ended it."""
        if case["outcome"] == "passed":
            return
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        message = case.get("message", "")
        # rusage undercounts what RLIMIT_CPU measured; the test's message has the exit status
        if used >= self.config["cpu_s"] / 2 and str(-signal.SIGXCPU) in message:
            self.stop("cpu")
        if "MemoryError" in message:
            self.stop("memory")

    def stop(self, limit: str) -> None:
        self.reporter.send("limit", limit=limit)
        os._exit(0)


def main() -> None:
    config = json.loads(sys.argv[1])
    reporter = Reporter(config["result_fd"])
    os.set_inheritable(reporter.fd, False)
    os.chdir(config["scratch"])
    sys.path.insert(0, config["scratch"])
    sys.dont_write_bytecode = True
    capture = Capture(reporter, config["output_bytes"])
    sys.stdout = sys.stderr = capture
    try:
        Run(config, reporter, capture).main()
    except MemoryError:
        reporter.send("limit", limit="memory")
    except BaseException as exc:  # a fault of the grader itself
        reporter.send("fault", detail=f"the test harness failed: {explain.error_text(exc)}")
    else:
        reporter.send("done")
    os._exit(0)  # no atexit handlers or lingering threads of the student's code


if __name__ == "__main__":
    main()
