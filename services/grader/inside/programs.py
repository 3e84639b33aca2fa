"""Runs of solution.py as a program (stdin/stdout problems), each in a confined child of its
own; the tests' `subprocess.run` of solution.py comes here."""

from __future__ import annotations

import os
import subprocess
import time
from builtins import any, isinstance, min  # noqa: UP029 - bound now: tests may patch builtins
from typing import TYPE_CHECKING, Any

from children import Children, Exit, Stopped, fault, limit_of
from streams import Output, pump
from witness import Witness

if TYPE_CHECKING:
    from job import Job


class Programs:
    """Runs of solution.py as a program, each in a confined child of its own."""

    def __init__(self, job: Job, children: Children, witness: Witness) -> None:
        self.job, self.children, self.witness = job, children, witness

    def run(self, mode: str, data: bytes, timeout: float | None) -> tuple[Exit, bytes, bytes]:
        """(how it ended, stdout, stderr) of one run; TimeoutError past `timeout` (the test's),
        Stopped past the job's wall clock or the output limit."""
        stdin_r, stdin_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        pid = self.children.start(self.job.child(mode), [stdin_r, out_w, err_w])
        for fd in (stdin_r, out_w, err_w):
            os.close(fd)
        clock = self.job.clock
        end = min(clock.deadline, time.monotonic() + timeout if timeout else clock.deadline)
        out, err = bytearray(), bytearray()
        output = Output(self.job.output.cap)  # the output limit holds per run
        try:
            pump(end, output, {out_r: out, err_r: err}, stdin=(stdin_w, data))
            exit = self.children.wait(pid, end)  # it may have closed its output and gone on
        except OverflowError:
            self.children.stop(pid)
            raise Stopped("output") from None
        except TimeoutError:
            self.children.stop(pid)
            if clock.left() <= 0:
                raise Stopped("wall") from None
            raise
        finally:
            os.close(out_r)
            os.close(err_r)
        return exit, bytes(out), bytes(err)

    def __call__(self, args: Any, **options: Any) -> subprocess.CompletedProcess[Any]:
        """`subprocess.run([python, "solution.py"], ...)` in the tests."""
        argv = [str(a) for a in (args if isinstance(args, list | tuple) else [args])]
        if not any(os.path.basename(a) == "solution.py" for a in argv):
            raise PermissionError(f"the tests may run the student's program only, not {argv}")
        text = bool(options.get("text") or options.get("universal_newlines"))
        text = text or options.get("encoding") is not None
        data = options.get("input") or b""
        if isinstance(data, str):
            data = data.encode()
        timeout = options.get("timeout")
        self.witness.running(data)
        try:
            exit, out, err = self.run("run", data, timeout)
        except TimeoutError:
            raise subprocess.TimeoutExpired(args, timeout) from None
        status = exit.status
        fault(status, err)
        limit = limit_of(exit, self.job.cpu_s)
        if limit:
            raise Stopped(limit)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        self.witness.ran(out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), code)
        stdout: Any = out.decode("utf-8", "replace") if text else out
        stderr: Any = err.decode("utf-8", "replace") if text else err
        if options.get("check") and code:
            raise subprocess.CalledProcessError(code, args, stdout, stderr)
        return subprocess.CompletedProcess(args, code, stdout, stderr)
