"""solution.py run as `python3 solution.py` would run it, in the confined child (stdin/stdout
problems): the same exit status, the same traceback from the student's first frame."""

import contextlib
import runpy
import sys
import traceback

import protocol


def run(path: str) -> int:
    """solution.py as __main__; the exit status `python3 solution.py` would give."""
    code = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except MemoryError:
        code = protocol.MEMORY_EXIT
    except SystemExit as exc:
        code = _exit_code(exc)
    except BaseException as exc:
        _print_traceback(exc, path)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    return code


def _print_traceback(exc: BaseException, path: str) -> None:
    """As `python3 solution.py` prints it: from the student's first frame, not runpy's or ours."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != path:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb)


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    print(exc.code, file=sys.stderr)
    return 1
