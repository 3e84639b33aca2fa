"""A judge: serves one slot's grading jobs, one after another; runs the tests and every
comparison. It never runs the student's code.

Per job the grader sends two frames (the job with the student's code, then the tests) and
reads JSON-lines records (results.py) until the last one (done, a limit, ended, fault). The
student's code runs in confined children the zygote forks on the judge's request, never from
the judge, so nothing of any test is in their memory: for a module, one child that imports
solution.py and answers calls (the tests see a proxy `solution`); for a stdin/stdout
program, one child per run (the tests' `subprocess.run` of solution.py is routed to it). What
crosses back is plain data (wire.py). The judge enforces the wall clock over the whole job,
caps the output, kills the children's process groups and cleans the slot's folders.
"""

import contextlib
import functools
import json
import linecache
import os
import shutil
import socket
import subprocess
import sys
import types
from typing import Any

import explain
import wire
from children import Children, Ended, Fault, Stopped, describe_status, fault
from programs import Programs
from remote import Remote, SolutionModule
from streams import Clock, Output


class Reporter:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, kind: str, **fields: object) -> None:
        line = json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n"
        self.sock.sendall(line.encode("utf-8", wire.FFFD))


@functools.lru_cache(maxsize=32)
def compiled_tests(path: str, source: str) -> types.CodeType:
    """An assignment's tests, compiled once per judge (its jobs come again and again)."""
    return compile(source, path, "exec", dont_inherit=True)


class Job:
    """One job: its settings, its slot's folders, its clock and output."""

    def __init__(self, context: dict[str, Any], slot: int, config: dict[str, Any]) -> None:
        self.context, self.config = context, config
        slot_dir = os.path.join(context["base"], f"slot-{slot}")
        self.scratch = os.path.join(slot_dir, "work")
        self.judge_dir = os.path.join(slot_dir, "judge")
        self.solution = os.path.join(self.scratch, "solution.py")
        self.tests_path = os.path.join(self.judge_dir, "test_solution.py")
        self.uid = context["uid_base"] + slot if context["drop_uid"] else None
        limits = config["limits"]
        self.cpu_s = max(1, -(-int(limits["cpu_ms"]) // 1000))  # RLIMIT_CPU counts seconds
        self.clock = Clock(limits["wall_ms"] / 1000)
        self.output = Output(limits["output_kb"] * 1024)

    def prepare(self, tests: str) -> None:
        self.tests = tests
        self.clean()
        with open(self.solution, "w", encoding="utf-8") as f:
            f.write(self.config["code"])
        if self.uid is not None:
            os.chown(self.solution, self.uid, self.uid)
        with open(self.tests_path, "w", encoding="utf-8") as f:
            f.write(tests)

    def clean(self) -> None:
        """Empty the slot's folders (kept: the Landlock rules name them)."""
        for folder in (self.scratch, self.judge_dir):
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def child(self, mode: str) -> dict[str, Any]:
        """What the zygote needs to fork a confined child for this job."""
        entry_point = self.config.get("entry_point")
        return {"mode": mode, "limits": self.config["limits"], "entry_point": entry_point}


class Run:
    def __init__(self, job: Job, reporter: Reporter, children: Children) -> None:
        self.job, self.reporter, self.children = job, reporter, children
        self.remote: Remote | None = None
        self.programs: Programs | None = None

    def main(self) -> None:
        job = self.job
        if job.config["style"] == "module":
            self.remote = Remote(job, self.children)
            loaded = self.remote.wait_reply()
        else:
            self.programs = Programs(job, self.children)
            loaded = self.check_program()
        self.explain = explain.Explain(job.tests_path, job.output.quiet)
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
        return [
            (name, obj)
            for name, obj in vars(module).items()
            if name.startswith("test_")
            and callable(obj)
            and getattr(obj, "__module__", None) == module.__name__
        ]

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
        try:
            test()
        except (Stopped, Ended, Fault):
            raise
        except AssertionError as exc:
            case = self.explain.assertion(exc)
        except BaseException as exc:  # the student's code may raise anything, even SystemExit
            case = self.explain.exception(exc)
        else:
            case = {"outcome": "passed"}
        if self.remote is not None and self.remote.gone is not None:
            raise self.remote.gone  # a test that swallowed the end of the run
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


def main(sock: socket.socket, zygote: socket.socket, context: dict[str, Any], slot: int) -> None:
    """The judge process: serves the slot's jobs until the grader closes `sock`."""
    children = Children(zygote)
    modules, path, run = set(sys.modules), list(sys.path), subprocess.run
    while True:
        try:
            config, tests = wire.recv(sock), wire.recv(sock)["tests"]
        except (EOFError, OSError, wire.WireError):
            os._exit(0)
        one_job(Reporter(sock), children, Job(context, slot, config), tests)
        for name in set(sys.modules) - modules:  # this job's tests and what they imported
            del sys.modules[name]
        sys.path[:], subprocess.run = path, run  # type: ignore[assignment]
        linecache.clearcache()


def one_job(reporter: Reporter, children: Children, job: Job, tests: str) -> None:
    run: Run | None = None
    try:
        job.prepare(tests)
        run = Run(job, reporter, children)
        run.main()
    except Stopped as stop:
        _send_output(reporter, job)
        reporter.send("limit", limit=stop.limit)
    except Ended as end:
        _send_output(reporter, job)
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
