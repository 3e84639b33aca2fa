"""An ungraded run, on the judge's side: one confined child (mode "try", try_run.py) fed the
student's stdin; its output, its report and its time go back as one "ran" record.

Unlike a test's run of the program, a run stopped by a limit keeps what it printed so far:
the student sees where their program was when it was stopped.
"""

import json
import os
import time
from typing import Any

import try_run
from children import Children, fault, limit_of
from job import Job
from streams import Output, pump

REPORT_BYTES = 64 * 2**10  # the child's report (the value's repr, the error): on top of output


def run(job: Job, children: Children, stdin: str, call: str | None) -> dict[str, Any]:
    """The "ran" record's fields; Fault if the sandbox itself failed."""
    if call is not None:
        path = os.path.join(job.scratch, try_run.CALL_FILE)
        with open(path, "w", encoding="utf-8") as f:
            f.write(call)
        if job.uid is not None:
            os.chown(path, job.uid, job.uid)
    pipes = [os.pipe() for _ in range(4)]  # stdin, stdout, stderr, the report
    (stdin_r, stdin_w), (out_r, out_w), (err_r, err_w), (rep_r, rep_w) = pipes
    started = time.monotonic()
    pid = children.start(job.child("try"), [stdin_r, out_w, err_w, rep_w])
    for fd in (stdin_r, out_w, err_w, rep_w):
        os.close(fd)
    out, err, report = bytearray(), bytearray(), bytearray()
    output = Output(job.output.cap + REPORT_BYTES)
    limit = None
    try:
        data = stdin.encode("utf-8", "replace")
        pump(
            job.clock.deadline,
            output,
            {out_r: out, err_r: err, rep_r: report},
            stdin=(stdin_w, data),
        )
        exit = children.wait(pid, job.clock.deadline)
    except OverflowError:
        exit, limit = children.stop(pid), "output"
    except TimeoutError:
        exit, limit = children.stop(pid), "wall"
    finally:
        for fd in (out_r, err_r, rep_r):
            os.close(fd)
    time_ms = round((time.monotonic() - started) * 1000)
    fault(exit.status, bytes(err))
    limit = limit or limit_of(exit, job.cpu_s)
    told = _report(report) if limit is None else {}
    return {
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
        "value": told.get("value") if isinstance(told.get("value"), str) else None,
        "error": told.get("error"),  # the student's process sent it: the judge checks it
        "limit": limit,
        "exit_code": _exit_code(exit.status),
        "time_ms": time_ms,
    }


def _report(data: bytearray) -> dict[str, Any]:
    """The child's report; anything else (the student's code wrote on fd 3) is no report."""
    try:
        told = json.loads(bytes(data))
    except ValueError:
        return {}
    return told if isinstance(told, dict) else {}


def _exit_code(status: int) -> int:
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
