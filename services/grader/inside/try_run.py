"""An ungraded run in the confined child: solution.py as a program (`python3 solution.py`), or
imported and then one call the student wrote (`add(2, 3)`) evaluated in its namespace.

What the student sees comes back on fd 3 as one JSON object: the call's value (repr, capped)
and the exception that ended the run, in the student's terms (problems.describe). Printed
output goes to fds 1 and 2 as a program's would; a traceback is printed from the student's
first frame, as `python3 solution.py` prints it.
"""

import contextlib
import json
import os
import runpy
import sys
import traceback
from typing import Any

import problems
import protocol
import run_program

REPORT_FD = 3
VALUE_CHARS = 10_000  # of the value's repr
CALL_FILE = ".grindstone-call"  # the call, left in the scratch folder by the judge; read first
CALL_NAME = "<your call>"  # the call's file name in tracebacks and errors


def take_call(scratch: str) -> str | None:
    """The call the judge left, removed before any of the student's code runs."""
    path = os.path.join(scratch, CALL_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            call = f.read()
    except FileNotFoundError:
        return None
    os.unlink(path)
    return call


def run(path: str, call: str | None) -> int:
    """The exit status; the report written to REPORT_FD."""
    report: dict[str, Any] = {"value": None, "error": None}
    code = 0
    try:
        if call is None:
            runpy.run_path(path, run_name="__main__")
        else:
            expression = compile(call, CALL_NAME, "eval", dont_inherit=True)
            namespace = runpy.run_path(path, run_name="solution")
            report["value"] = _shown(
                eval(expression, namespace)
            )  # the confined child: theirs to run
    except MemoryError:
        code = protocol.MEMORY_EXIT
    except SystemExit as exc:
        code = run_program._exit_code(exc)
    except BaseException as exc:
        report["error"] = problems.describe(exc, path)
        _print_traceback(exc, {path, CALL_NAME})
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    _write(json.dumps(report, ensure_ascii=False).encode("utf-8", "replace"))
    return code


def _shown(value: object) -> str:
    """repr() of the value, capped; a repr that fails says so rather than ending the run."""
    try:
        text = repr(value)
    except Exception as exc:  # a broken __repr__, an int too long to print
        text = f"<{type(value).__name__} object: its repr() raised {type(exc).__name__}>"
    if len(text) > VALUE_CHARS:
        text = f"{text[:VALUE_CHARS]}… ({len(text) - VALUE_CHARS} more characters)"
    return text


def _print_traceback(exc: BaseException, theirs: set[str]) -> None:
    """From the first frame of the student's (their file or their call), not runpy's or ours."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in theirs:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb)


def _write(data: bytes) -> None:
    with contextlib.suppress(OSError):
        while data:
            data = data[os.write(REPORT_FD, data) :]
