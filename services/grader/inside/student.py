"""What runs in the confined child, after `confine.apply`: the student's code, nothing else.

Confines itself (`confine.apply`), then one of: serve the module to the judge
(serve_module.py), run solution.py as a program (run_program.py), check it compiles, or
an ungraded run (try_run.py).
"""

import fcntl
import io
import json
import os
import signal
import socket
import sys
from typing import Any

import confine
import described
import frames
import problems
import protocol
import run_program
import serve_module
import try_run

FIRST_SPARE_FD = 64  # descriptors are moved above this before they become 0, 1, 2, ...
MAX_FD = 65536


def warm() -> None:
    """Caches every confined child would fill first, filled once in the zygote."""
    described.warm()


def become(
    fds: list[int],
    plan: confine.Plan,
    parent: int,
    ruleset: int | None,
    request: dict[str, Any],
    stdlib: list[str],
) -> None:
    """A freshly forked child of the zygote: confine it, then do what the judge asked. Never
    returns. `fds` become 0, 1, 2 (and 3: the judge's socket, for a module)."""
    try:
        os.setsid()
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it; RLIMIT_FSIZE kills
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, FIRST_SPARE_FD) for fd in fds]
        if ruleset is not None:
            high.append(fcntl.fcntl(ruleset, fcntl.F_DUPFD, FIRST_SPARE_FD))
        for target, fd in enumerate(high):
            os.dup2(fd, target)
        os.closerange(len(high), MAX_FD)
        confine.apply(plan, parent, len(fds) if ruleset is not None else None)
        if ruleset is not None:
            os.close(len(fds))
        settle(plan.writable[0], stdlib)
    except BaseException as exc:
        os.write(2, f"{protocol.FAULT_MARK}{type(exc).__name__}: {exc}\n".encode())
        os._exit(protocol.CONFINE_FAILED)
    path = os.path.join(plan.writable[0], "solution.py")
    match request["mode"]:
        case "module":
            serve_module.serve(socket.socket(fileno=3), path, request.get("entry_point"))
        case "check":
            os.write(1, json.dumps(problems.compiled(path)[1]).encode())
        case "try":  # an ungraded run; fd 3 carries its report
            os._exit(try_run.run(path, try_run.take_call(plan.writable[0])))
        case _:
            os._exit(run_program.run(path))
    os._exit(0)


def settle(scratch: str, stdlib: list[str]) -> None:
    """The interpreter state the student's code sees: its folder first, fresh std streams."""
    os.chdir(scratch)
    sys.path[:] = [scratch, *stdlib]
    sys.argv = ["solution.py"]
    sys.dont_write_bytecode = True
    os.environ.clear()
    os.environ.update({"HOME": scratch, "TMPDIR": scratch, "LC_ALL": "C.UTF-8", "PATH": "/usr/bin"})
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    sys.stdout = _writer(1)
    sys.stderr = _writer(2)


def _writer(fd: int) -> io.TextIOWrapper:
    raw = io.FileIO(fd, "w", closefd=False)
    return io.TextIOWrapper(raw, encoding="utf-8", errors=frames.FFFD, line_buffering=True)
