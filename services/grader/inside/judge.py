"""A judge: serves one slot's grading jobs, one after another; runs the tests and every
comparison. It never runs the student's code.

Per job the grader sends two frames (the job with the student's code, then the tests) and
reads JSON-lines records (results.py) until the last one (done, a limit, ended, fault). The
student's code runs in confined children the zygote forks on the judge's request, never from
the judge, so nothing of any test is in their memory: for a module, one child that imports
solution.py and answers calls (the tests see a proxy `solution`); for a stdin/stdout
program, one child per run (the tests' `subprocess.run` of solution.py is routed to it). What
crosses back is data the judge builds (values.py, peer.py). The judge enforces the wall clock
over the whole job, caps the output, kills the children's process groups and cleans the slot's
folders.
"""

import builtins
import functools
import io
import json
import linecache
import os
import socket
import subprocess
import sys
import types
from builtins import getattr, isinstance, len  # noqa: UP029 - bound now: tests may patch builtins
from typing import Any

import collect
import explain
import frames
import testkit
import ungraded
from children import Children, Ended, Fault, Stopped, describe_status, fault
from job import Job
from programs import Programs
from remote import Remote, SolutionModule
from streams import Output
from witness import Witness


class Reporter:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, kind: str, **fields: object) -> None:
        line = json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n"
        self.sock.sendall(line.encode("utf-8", frames.FFFD))


@functools.lru_cache(maxsize=32)
def compiled_tests(path: str, source: str) -> types.CodeType:
    """An assignment's tests, compiled once per judge (its jobs come again and again)."""
    return compile(source, path, "exec", dont_inherit=True)


class Run:
    def __init__(self, job: Job, reporter: Reporter, children: Children) -> None:
        self.job, self.reporter, self.children = job, reporter, children
        self.remote: Remote | None = None
        self.programs: Programs | None = None
        self.witness = Witness(job.config["code"])

    def main(self) -> None:
        job = self.job
        if job.config["style"] == "module":
            self.remote = Remote(job, self.children, self.witness)
            loaded = self.remote.loaded()
        else:
            self.programs = Programs(job, self.children, self.witness)
            loaded = self.check_program()
        self.explain = explain.Explain(job.tests_path, job.output.quiet, self.witness)
        self.send_output()
        if loaded.get("limit"):
            raise Stopped(str(loaded["limit"]))
        if "load_error" in loaded:
            self.reporter.send("load_error", **_load_error(loaded["load_error"]))
            self.reporter.send("tests", names=self.explain.declared_tests())
            return
        if self.remote is not None:
            sys.modules["solution"] = SolutionModule(self.remote)
        else:
            subprocess.run = self.programs  # type: ignore[assignment]
        tests = self.collect()
        if tests is None:
            return
        self.reporter.send("tests", names=[name for name, _ in tests])
        for name, test in tests:
            self.reporter.send("start", name=name)
            self.reporter.send("case", name=name, **self.run_test(test))

    def check_program(self) -> dict[str, Any]:
        assert self.programs is not None
        exit, out, err = self.programs.run("check", b"", None)
        status = exit.status
        fault(status, err)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            raise Fault(f"the syntax check failed ({describe_status(status)}): {err[-500:]!r}")
        problem = json.loads(out or b"null")
        return {"load_error": problem} if problem else {"loaded": True}

    def send_output(self) -> None:
        text = self.job.output.take()
        if text:
            self.reporter.send("output", text=text)

    def collect(self) -> list[tuple[str, Any]] | None:
        module = types.ModuleType("test_solution")
        module.__file__ = self.job.tests_path
        sys.modules["test_solution"] = module
        try:
            exec(compiled_tests(self.job.tests_path, self.job.tests), module.__dict__)
        except (Stopped, Ended):
            raise
        except Exception as exc:
            self.fail_to_load_tests(exc)
            return None
        finally:
            self.send_output()
        return collect.collect(module)

    def fail_to_load_tests(self, exc: BaseException) -> None:
        theirs = getattr(exc, "student", None)
        if theirs is not None or (isinstance(exc, ImportError) and exc.name == "solution"):
            problem = theirs or {"type": type(exc).__name__, "detail": str(exc)}
            self.reporter.send("load_error", **_load_error(problem))
            self.reporter.send("tests", names=self.explain.declared_tests())
        else:
            detail = f"the assignment's tests could not be loaded: {explain.error_text(exc)}"
            self.reporter.send("fault", detail=detail)

    def run_test(self, test: Any) -> dict[str, Any]:
        self.witness.reset()
        try:
            test()
        except (Stopped, Ended, Fault):
            raise
        except testkit.Skipped as exc:
            case = {"outcome": "skipped", "message": str(exc)}
        except AssertionError as exc:
            case = self.explain.assertion(exc)
        except BaseException as exc:  # the student's code may raise anything, even SystemExit
            case = self.explain.exception(exc)
        else:
            case = {"outcome": "passed"}
        if self.remote is not None and self.remote.gone is not None:
            raise self.remote.gone  # a test that swallowed the end of the run
        if case["outcome"] == "failed":
            case.update(self.witness.shown())
        return {**case, "output": self.job.output.take()}

    def close(self) -> None:
        if self.remote is not None:
            self.remote.close()


def _load_error(info: dict[str, Any]) -> dict[str, Any]:
    """Only the fields of results.LoadError, of their types (the student's process sent it)."""
    if not isinstance(info, dict):
        info = {"type": "", "detail": "Your program's process sent an answer nobody can read."}
    line, source_line = info.get("line"), info.get("source_line")
    return {
        "type": str(info.get("type", "")),
        "detail": str(info.get("detail", "")),
        "line": line if type(line) is int else None,
        "source_line": source_line if type(source_line) is str else None,
    }


def _send_output(reporter: Reporter, job: Job) -> None:
    """What the student's code wrote in the test the run stopped in."""
    text = job.output.take()
    if text:
        reporter.send("output", text=text)


def _send_witnessed(reporter: Reporter, run: Run | None) -> None:
    """The call or the input of the test the run stopped in."""
    shown = run.witness.shown() if run is not None else {}
    if shown:
        reporter.send("witnessed", call=shown.get("call"), stdin=shown.get("stdin"))


def main(sock: socket.socket, zygote: socket.socket, context: dict[str, Any], slot: int) -> None:
    """The judge process: serves the slot's jobs until the grader closes `sock`."""
    children = Children(zygote)
    sys.modules["pytest"] = testkit  # a course's tests `import pytest`
    modules, path, run = set(sys.modules), list(sys.path), subprocess.run
    streams, input_ = (sys.stdin, sys.stdout, sys.stderr), builtins.input
    while True:
        try:
            config, tests = frames.recv(sock), frames.recv(sock)["tests"]
        except (EOFError, OSError, frames.WireError):
            os._exit(0)
        job = Job(context, slot, config)
        collect.SCRATCH["folder"] = job.scratch
        sys.stdin = io.StringIO()  # what the student's input() reads unless a test feeds it
        sys.stdout = sys.stderr = Sink(job.output)
        if "run" in config:
            one_run(Reporter(sock), children, job)
        else:
            one_job(Reporter(sock), children, job, tests)
        for name in set(sys.modules) - modules:  # this job's tests and what they imported
            del sys.modules[name]
        sys.path[:], subprocess.run = path, run  # type: ignore[assignment]
        (sys.stdin, sys.stdout, sys.stderr), builtins.input = streams, input_
        linecache.clearcache()


class Sink(io.TextIOBase):
    """The judge's stdout and stderr in a job: the student's printed text (and the tests')
    kept as the test's output; counted against the limit where it crossed (remote.py)."""

    def __init__(self, output: Output) -> None:
        self.output = output

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not self.output.muted and len(self.output.kept) < self.output.cap:
            self.output.kept += text.encode("utf-8", frames.FFFD)[: self.output.cap]
        return len(text)


def one_run(reporter: Reporter, children: Children, job: Job) -> None:
    """An ungraded run (ungraded.py): one "ran" record, then "done"."""
    try:
        job.prepare("")
        asked = job.config["run"]
        ran = ungraded.run(job, children, str(asked.get("stdin") or ""), asked.get("call"))
        error = ran["error"]
        ran["error"] = _load_error(error) if isinstance(error, dict) else None
        reporter.send("ran", **ran)
    except BaseException as exc:  # a fault of the sandbox itself: the grader tries again
        reporter.send("fault", detail=f"the judge failed: {explain.error_text(exc)}", retry=True)
    else:
        reporter.send("done")
    finally:
        job.clean()


def one_job(reporter: Reporter, children: Children, job: Job, tests: str) -> None:
    run: Run | None = None
    try:
        job.prepare(tests)
        run = Run(job, reporter, children)
        run.main()
    except Stopped as stop:
        _send_output(reporter, job)
        _send_witnessed(reporter, run)
        reporter.send("limit", limit=stop.limit)
    except Ended as end:
        _send_output(reporter, job)
        _send_witnessed(reporter, run)
        reporter.send("ended", exit_status=end.status)
    except BaseException as exc:  # a fault of the sandbox itself: the grader tries again
        detail = f"the judge failed: {explain.error_text(exc)}"
        reporter.send("fault", detail=detail, retry=True)
    else:
        reporter.send("done")
    finally:
        if run is not None:
            run.close()  # the children are gone before their folder is emptied
        job.clean()
