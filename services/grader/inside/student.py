"""What runs in the confined child, after `confine.apply`: the student's code, nothing else.

Two shapes. `serve(sock, ...)`: import solution.py and answer the judge's requests (get a
name, call a function, iterate) over `sock`, one at a time. `run_program(...)`: run
solution.py as `__main__` on stdin/stdout, as `python3 solution.py` would. Whatever this
process sends, the judge decodes it as plain data (wire.py); it decides nothing here.
"""

import builtins
import contextlib
import fcntl
import io
import json
import os
import runpy
import signal
import socket
import sys
import traceback
import types
from typing import Any

import confine
import problems
import wire

MEMORY_EXIT = 86  # a program that ran out of memory (its traceback may not fit any more)


CONFINE_FAILED = 70  # a child that could not confine itself exits with this and says why
FAULT_MARK = "grindstone-sandbox: "
FIRST_SPARE_FD = 64  # descriptors are moved above this before they become 0, 1, 2, ...
MAX_FD = 65536


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
        os.write(2, f"{FAULT_MARK}{type(exc).__name__}: {exc}\n".encode())
        os._exit(CONFINE_FAILED)
    path = os.path.join(plan.writable[0], "solution.py")
    match request["mode"]:
        case "module":
            serve(socket.socket(fileno=3), path, request.get("entry_point"))
        case "check":
            os.write(1, json.dumps(problems.compiled(path)[1]).encode())
        case _:
            os._exit(run_program(path))
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
    return io.TextIOWrapper(raw, encoding="utf-8", errors=wire.FFFD, line_buffering=True)


class Lent:
    """An object the tests passed that is not plain data (a counting sequence, a callback):
    it stays in the judge; each use here asks the judge, which answers with plain data."""

    __slots__ = ("_number", "_server")

    def __init__(self, server: "Server", number: int) -> None:
        self._server, self._number = server, number

    def _ask(self, op: str, **fields: Any) -> Any:
        return self._server.ask({"back": op, "handle": self._number, **fields})

    def __len__(self) -> int:
        return int(self._ask("len"))

    def __getitem__(self, key: Any) -> Any:
        return self._ask("getitem", key=self._server.encode(key))

    def __contains__(self, item: Any) -> bool:
        return bool(self._ask("contains", item=self._server.encode(item)))

    def __iter__(self) -> Any:
        return self._ask("iter")

    def __next__(self) -> Any:
        return self._ask("next")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        encode = self._server.encode
        return self._ask("call", args=encode(list(args)), kwargs=encode(kwargs))

    def __repr__(self) -> str:
        return "<an object of the tests>"


class Server:
    def __init__(self, sock: socket.socket, path: str) -> None:
        self.sock, self.path = sock, path
        self.handles: dict[int, Any] = {}
        self.flush = [sys.stdout.flush, sys.stderr.flush]  # ours, even if the code swaps them

    def reply(self, message: dict[str, Any]) -> None:
        for flush in self.flush:
            with contextlib.suppress(Exception):
                flush()
        wire.send(self.sock, message)

    def load(self, entry_point: str | None) -> dict[str, Any]:
        code, problem = problems.compiled(self.path)
        if code is None:
            return {"load_error": problem}
        module = types.ModuleType("solution")
        module.__file__ = self.path
        sys.modules["solution"] = module
        try:
            exec(code, module.__dict__)
        except MemoryError:
            return {"limit": "memory"}
        except BaseException as exc:  # whatever the module-level code raises, even SystemExit
            return {"load_error": problems.describe(exc, self.path)}
        self.handles[0] = module
        if entry_point and not callable(getattr(module, entry_point, None)):
            detail = f"Your code does not define the function {entry_point}()."
            return {"load_error": {"type": "", "detail": detail}}
        return {"loaded": True}

    def serve(self, entry_point: str | None) -> None:
        self.reply(self.load(entry_point))
        while True:
            try:
                request = wire.recv(self.sock)
            except (EOFError, OSError):
                os._exit(0)
            self.reply(self.answer(request))

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        try:
            target = self.handles[request["handle"]]
            match request["op"]:
                case "getattr":
                    return self.value(getattr(target, request["name"]))
                case "call":
                    args = wire.decode(request["args"], self.resolve)
                    kwargs = wire.decode(request["kwargs"], self.resolve)
                    return self.value(target(*args, **kwargs))
                case "next":
                    return self.value(next(target))
                case "iter":
                    return self.value(iter(target))
        except StopIteration:
            return {"stop": True}
        except AttributeError as exc:
            if request.get("op") == "getattr" and target is self.handles.get(0):
                return {"missing": True}
            return {"raised": problems.describe(exc, self.path)}
        except MemoryError:
            return {"limit": "memory"}
        except BaseException as exc:  # the student's code may raise anything, even SystemExit
            return {"raised": problems.describe(exc, self.path)}
        return {"raised": {"type": "ValueError", "detail": "unknown request"}}

    def resolve(self, tag: str, number: int) -> Any:
        return self.handles[number] if tag == "ref" else Lent(self, number)

    def ref(self, value: Any) -> dict[str, int] | None:
        return {"lent": value._number} if type(value) is Lent else None

    def encode(self, value: Any) -> Any:
        try:
            return wire.encode(value, self.ref)
        except (wire.NotPlain, RecursionError) as exc:
            raise TypeError(f"only plain values can go to the tests' objects, not {exc}") from None

    def ask(self, message: dict[str, Any]) -> Any:
        """Use an object the judge lent: send the request, wait for its plain answer."""
        wire.send(self.sock, message)
        answer = wire.recv(self.sock)
        if answer.get("stop"):
            raise StopIteration
        if "raised" in answer:
            info = answer["raised"]
            kind = getattr(builtins, str(info.get("type")), None)
            if not (isinstance(kind, type) and issubclass(kind, Exception)):
                kind = RuntimeError
            raise kind(info.get("detail", ""))
        return wire.decode(answer["value"], self.resolve)

    def value(self, value: Any) -> dict[str, Any]:
        try:
            return {"value": wire.encode(value, self.ref)}
        except (wire.NotPlain, RecursionError):
            handle = len(self.handles)
            self.handles[handle] = value
            kind = type(value)
            name = getattr(kind, "__qualname__", "object")
            return {"handle": handle, "type": name, "callable": callable(value)}


def serve(sock: socket.socket, path: str, entry_point: str | None) -> None:
    """Never returns into the zygote's code this child was forked from, whatever broke
    (memory that ran out while replying, a socket the student's code closed)."""
    try:
        Server(sock, path).serve(entry_point)
    except MemoryError:
        os._exit(MEMORY_EXIT)
    except BaseException:
        os._exit(1)


def run_program(path: str) -> int:
    """solution.py as __main__; the exit status `python3 solution.py` would give."""
    code = 0
    try:
        runpy.run_path(path, run_name="__main__")
    except MemoryError:
        code = MEMORY_EXIT
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
