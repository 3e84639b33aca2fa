"""The confined children the zygote forks for a judge: how one ended (wait status, CPU time),
what that means (a limit, a crash, a sandbox fault), and the exceptions that end a run."""

import json
import os
import signal
import socket
import time
from builtins import max  # noqa: UP029 - bound now: tests may patch builtins
from typing import Any, NamedTuple

import protocol
from streams import kill_group


class Stopped(BaseException):
    """A limit ended the run (the student's processes are already killed)."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


class Ended(BaseException):
    """The student's process ended (or broke the protocol) before the tests finished."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


class Fault(Exception):
    """The sandbox itself failed: an `error` verdict, never the student's fault."""


def describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"killed by {signal.Signals(number).name}"
        except ValueError:
            return f"killed by signal {number}"
    return f"exit status {os.WEXITSTATUS(status)}"


class Exit(NamedTuple):
    """How a confined child ended: its wait status and the CPU time it used."""

    status: int
    cpu_ms: int


def limit_of(exit: Exit, cpu_s: int) -> str | None:
    """The limit a death means. RLIMIT_CPU sends SIGXCPU, then SIGKILL a second later; a
    SIGKILL before the CPU time was used (the child's own, the OOM killer's) is no CPU limit."""
    status = exit.status
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGXCPU:  # the soft limit
            return "cpu"
        if number == signal.SIGKILL and exit.cpu_ms >= cpu_s * 1000:  # the hard one, a second on
            return "cpu"
        if number == signal.SIGXFSZ:
            return "file"
    elif os.WEXITSTATUS(status) == protocol.MEMORY_EXIT:
        return "memory"
    return None


def fault(status: int, err: bytes) -> None:
    """A child that could not confine itself says so on stderr (a program that fakes this
    gets an `error` verdict: never a pass)."""
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == protocol.CONFINE_FAILED:
        text = err.decode("utf-8", "replace")
        if text.startswith(protocol.FAULT_MARK):
            raise Fault(text.strip())


class Children:
    """The confined children the zygote forks for this judge, and how they ended."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.ended: dict[int, Exit] = {}

    def start(self, request: dict[str, Any], fds: list[int]) -> int:
        socket.send_fds(self.sock, [json.dumps(request).encode()], fds)
        while True:
            answer = self._next(None)
            if "pid" in answer:
                return int(answer["pid"])

    def wait(self, pid: int, end: float) -> Exit:
        """How the child ended; TimeoutError at `end` (a monotonic time)."""
        while pid not in self.ended:
            self._next(end)
        return self.ended.pop(pid)

    def stop(self, pid: int) -> Exit:
        kill_group(pid)
        return self.wait(pid, time.monotonic() + 10.0)

    def _next(self, end: float | None) -> dict[str, Any]:
        self.sock.settimeout(None if end is None else max(end - time.monotonic(), 0.001))
        try:
            data = self.sock.recv(4096)
        except TimeoutError:
            raise
        finally:
            self.sock.settimeout(None)
        if not data:
            raise Fault("the zygote is gone")
        answer: dict[str, Any] = json.loads(data)
        if "exit" in answer:
            self.ended[int(answer["exit"])] = Exit(int(answer["status"]), int(answer["cpu_ms"]))
        return answer
