"""The confined child's side of a module-style job: import solution.py, then answer the
judge's requests (peer.py) until the judge closes the socket.

What the student's code prints goes to the judge with the next message (the tests capture it
with `redirect_stdout` or `capsys`); `input()` and `sys.stdin` read what the tests feed (their
`sys.stdin`, their `input`). Whatever this process sends, the judge reads it as data it builds
itself (values.py): nothing decided here can make a test pass.
"""

import builtins
import codecs
import io
import os
import resource
import socket
import sys
import types
from typing import Any

import frames
import peer
import problems
import protocol

FLUSH_CHARS = 64 * 1024  # printed text sent on its own past this much, without waiting


class ChildPolicy(peer.Policy):
    writes_ahead = True
    writes_back = True

    def __init__(self, path: str) -> None:
        self.path = path
        self.printed: dict[str, list[str]] = {"out": [], "err": []}

    def describe_error(self, exc: BaseException) -> dict[str, Any]:
        return problems.describe(exc, self.path)

    def out_of_memory(self, exc: BaseException) -> bool:
        """CPython near its address-space limit also fails with SystemError or RecursionError."""
        if isinstance(exc, MemoryError):
            return True
        if not isinstance(exc, SystemError | RecursionError):
            return False
        limit = resource.getrlimit(resource.RLIMIT_AS)[0]
        used = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return limit > 0 and used > limit * 0.75

    def serve_extra(self, op: str, message: dict[str, Any]) -> Any:
        if op == "names":  # `from solution import *`
            module = sys.modules["solution"]
            names = getattr(module, "__all__", None)
            if names is None:
                names = [
                    name
                    for name, value in vars(module).items()
                    if not name.startswith("_") and not isinstance(value, types.ModuleType)
                ]
            return [str(name) for name in names]
        return super().serve_extra(op, message)

    def outgoing(self, message: dict[str, Any]) -> None:
        for stream, parts in self.printed.items():
            if parts:
                message[stream] = "".join(parts)
                parts.clear()


class Printed(io.TextIOBase):
    """sys.stdout / sys.stderr: text kept for the next message to the judge."""

    def __init__(self, server: "Server", stream: str) -> None:
        self.server, self.stream, self.size = server, stream, 0
        self.buffer = PrintedBytes(self)

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if type(text) is not str:
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        parts = self.server.policy.printed[self.stream]
        parts.append(text)
        self.size += len(text)
        if self.size > FLUSH_CHARS:
            self.size = 0
            self.server.send_printed()
        return len(text)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def isatty(self) -> bool:
        return False


class PrintedBytes(io.RawIOBase):
    """sys.stdout.buffer: bytes that are not UTF-8 become U+FFFD, as a program's would."""

    def __init__(self, text: Printed) -> None:
        self.text = text
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        data = bytes(data)
        self.text.write(self.decoder.decode(data))
        return len(data)


class Fed(io.TextIOBase):
    """sys.stdin: each read asks the judge, which reads the tests' own sys.stdin."""

    def __init__(self, server: "Server") -> None:
        self.server = server

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        return self.server.ask("stdin", how="readline", n=-1 if size is None else int(size))

    def read(self, size: int | None = -1) -> str:
        return self.server.ask("stdin", how="read", n=-1 if size is None else int(size))

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"


class Server:
    def __init__(self, sock: socket.socket, path: str) -> None:
        self.sock, self.path = sock, path
        self.policy = ChildPolicy(path)
        self.module = types.ModuleType("solution")
        self.module.__file__ = path
        self.frames, self.pending = frames.Frames(), []
        self.peer = peer.Peer(self.send, self.receive, self.policy, self.module)

    def send(self, message: dict[str, Any]) -> None:
        frames.send(self.sock, message)

    def receive(self) -> Any:
        """The next message: one recv for a message that fits (most), then from the buffer."""
        while not self.pending:
            try:
                data = self.sock.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                os._exit(0)  # the judge is done with us
            self.pending += self.frames.feed(data)
        return self.pending.pop(0)

    def send_printed(self) -> None:
        message: dict[str, Any] = {}
        self.policy.outgoing(message)
        if message:
            self.send(message)

    def ask(self, op: str, **plain: Any) -> Any:
        return self.peer.request(op, 0, [], **plain)

    def input(self, prompt: object = "") -> str:
        return self.peer.request("input", 0, [("prompt", str(prompt))])

    def streams(self) -> None:
        sys.stdout = Printed(self, "out")
        sys.stderr = Printed(self, "err")
        sys.stdin = Fed(self)
        builtins.input = self.input

    def load(self, entry_point: str | None) -> dict[str, Any]:
        code, problem = problems.compiled(self.path)
        if code is None:
            return {"load_error": problem}
        sys.modules["solution"] = self.module
        try:
            exec(code, self.module.__dict__)
        except MemoryError:
            return {"limit": "memory"}
        except BaseException as exc:  # whatever the module-level code raises, even SystemExit
            return {"load_error": problems.describe(exc, self.path)}
        if entry_point and not callable(getattr(self.module, entry_point, None)):
            detail = f"Your code does not define the function {entry_point}()."
            return {"load_error": {"type": "", "detail": detail}}
        return {"loaded": True}

    def serve(self, entry_point: str | None) -> None:
        self.streams()
        # the student's code gets about the frames it would have under `python3 -m pytest`
        sys.setrecursionlimit(_depth() + 1000)
        loaded = self.load(entry_point)
        self.policy.outgoing(loaded)
        self.send(loaded)
        while True:
            self.peer.serve(self.receive())


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1  # type: ignore[assignment]
    return depth


def serve(sock: socket.socket, path: str, entry_point: str | None) -> None:
    """Never returns into the zygote's code this child was forked from, whatever broke
    (memory that ran out while replying, a socket the student's code closed)."""
    try:
        Server(sock, path).serve(entry_point)
    except MemoryError:
        os._exit(protocol.MEMORY_EXIT)
    except BaseException:
        os._exit(1)
