"""The judge's side of a module-style job: the confined child that imported solution.py, its
module as the tests see it (`import solution`), and what the judge lets the child do with the
tests' objects (peer.py has the conversation; this file has the judge's rules).

The judge's rules:
- the student's objects compare only with each other: `add(1, 2) == 3` is decided by the
  judge on the data it built, never by an `__eq__` of the student's (`Policy.trusts...`);
- the child may use the tests' objects as objects (attributes, methods, calls, dunders), but
  not reach behind them: no attribute whose name starts with `_` (the tests' own state, and
  every `__dunder__`), nothing of functions, frames, code, generators' insides or modules
  (`JudgePolicy.may`);
- what the child prints goes to the judge's `sys.stdout`/`sys.stderr` of the moment (so the
  tests capture it), counted against the output limit; its `input()` and `sys.stdin` read
  the tests' `sys.stdin` and `input`.
"""

from __future__ import annotations

import builtins
import os
import socket
import sys
import types
from builtins import isinstance, len  # noqa: UP029 - bound now: tests may patch builtins
from typing import TYPE_CHECKING, Any

import described
import explain
import frames
import peer
import stand_ins
import values
from children import Children, Ended, Fault, Stopped, describe_status, fault, limit_of
from streams import pump
from witness import Witness

if TYPE_CHECKING:
    from job import Job

# Objects whose attributes lead behind the tests' code (globals, frames, code, other modules).
REFLECTIVE = (
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
    types.BuiltinMethodType,
    types.CodeType,
    types.FrameType,
    types.TracebackType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
    types.ModuleType,
    types.CellType,
    types.MappingProxyType,
    types.SimpleNamespace,
    staticmethod,
    classmethod,
    property,
)


class StudentError(Exception):
    """An exception of the student's code the judge could not rebuild."""


class JudgePolicy(peer.Policy):
    trusts_peer_comparisons = False
    builtin_bases = False

    def __init__(self, remote: Remote) -> None:
        self.remote = remote
        self.fatal = (Stopped, Ended, Fault)

    def may(self, op: str, target: Any, name: str) -> None:
        if op == "getattr" and name in stand_ins.SAFE_DUNDERS:
            return
        if op in ("getattr", "setattr", "delattr", "callmethod"):
            if name.startswith("_"):  # the tests' own state, and what leads behind it
                raise AttributeError(f"the tests' object does not let your code use {name}")
            if isinstance(target, REFLECTIVE):
                kind = type(target).__name__
                raise AttributeError(f"the tests' {kind} objects do not show their attributes")
        if op in ("setattr", "delattr"):
            if isinstance(target, type):
                raise AttributeError("your code may not change the tests' classes")
            if callable(getattr(type(target), name, None)):
                raise AttributeError(f"your code may not replace the tests' method {name}")

    def snaps(self, target: Any) -> bool:
        return not isinstance(target, REFLECTIVE) and super().snaps(target)

    def attributes(self, target: Any) -> dict[str, Any] | None:
        if isinstance(target, REFLECTIVE):
            return None
        found = described.instance_attributes(target)
        if found is None:
            return None
        return {name: value for name, value in found.items() if not name.startswith("_")}

    def error(self, info: dict[str, Any], exc: BaseException) -> BaseException:
        if type(exc) is RuntimeError and info.get("type") != "RuntimeError":
            exc = StudentError(explain.student_error(info))
        exc.student = info  # type: ignore[attr-defined]
        return exc

    def output(self, stream: str, text: str) -> None:
        job = self.remote.job
        job.output.total += len(text.encode("utf-8", frames.FFFD))
        if job.output.total > job.output.cap:
            raise self.remote.stop("output")
        target = sys.stdout if stream == "out" else sys.stderr
        target.write(text)

    def limit(self, limit: str) -> BaseException:
        return self.remote.stop("memory")

    def unreadable(self, exc: Exception) -> BaseException:
        return self.remote.end(f"it sent something the grader could not read ({exc})")

    def serve_extra(self, op: str, message: dict[str, Any]) -> Any:
        if op == "input":
            return builtins.input(message.get("prompt", ""))
        if op == "stdin":
            size = int(message.get("n", -1))
            stdin = sys.stdin
            return stdin.readline(size) if message.get("how") == "readline" else stdin.read(size)
        return super().serve_extra(op, message)


class JudgePeer(peer.Peer):
    """The judge's side: notes each call the tests make into the student's code."""

    def __init__(self, remote: Remote, witness: Witness) -> None:
        super().__init__(remote.send, remote.next_frame, JudgePolicy(remote), None)
        self.witness = witness

    def request(self, op: str, handle: int, fields: list[tuple[str, Any]], **plain: Any) -> Any:
        top = self.depth == 0 and op in ("call", "callmethod")
        if top:
            self.witness.calling(self.callee(op, handle, str(plain.get("name", ""))), fields)
        value = super().request(op, handle, fields, **plain)
        if top:
            self.witness.answered(value)
        return value

    def callee(self, op: str, handle: int, name: str) -> str:
        if op == "callmethod":
            owner = self.proxies.get(handle)
            return f"<{type(owner).__name__} object>.{name}"
        cls = self.stand_ins.get(handle)
        if cls is not None:
            return str(cls.__name__)
        return self.witness.names.get(handle, "your function")


class Remote:
    """The confined child that imported solution.py, seen from the judge."""

    def __init__(self, job: Job, children: Children, witness: Witness) -> None:
        self.job, self.children, self.witness = job, children, witness
        self.sock, child_sock = socket.socketpair()
        out_r, out_w = os.pipe()
        null = os.open("/dev/null", os.O_RDONLY)
        with child_sock:
            fds = [null, out_w, out_w, child_sock.fileno()]
            self.pid = children.start(job.child("module"), fds)
        os.close(null)
        os.close(out_w)
        os.set_blocking(out_r, False)  # drained after each answer without waiting
        self.out = out_r
        self.frames = frames.Frames()
        self.waiting: list[Any] = []  # frames read, not handled yet
        self.gone: BaseException | None = None
        self.peer = JudgePeer(self, witness)

    def loaded(self) -> dict[str, Any]:
        """The child's first message: loaded, a load error or a limit."""
        message = self.next_frame()
        try:
            self.peer.read({k: v for k, v in message.items() if k in ("out", "err")})
        except (Stopped, Ended):
            raise
        return message

    def request(self, op: str, handle: int, fields: list[tuple[str, Any]], **plain: Any) -> Any:
        if self.gone is not None:
            raise self.gone
        try:
            value = self.peer.request(op, handle, fields, **plain)
        except values.Unreadable as exc:
            raise self.end(f"it sent something the grader could not read ({exc})") from None
        if op == "getattr" and handle == 0 and isinstance(value, stand_ins.Proxy):
            self.witness.names[object.__getattribute__(value, "_gs_h")] = str(plain["name"])
        return value

    def send(self, message: dict[str, Any]) -> None:
        try:
            frames.send(self.sock, message)
        except OSError:
            raise self.died() from None

    def next_frame(self) -> dict[str, Any]:
        if self.gone is not None:
            raise self.gone
        reply = self.waiting.pop(0) if self.waiting else self.read_frames()
        if not isinstance(reply, dict):
            raise self.end("it wrote something the grader could not read")
        return reply

    def read_frames(self) -> Any:
        job = self.job
        try:
            got = pump(
                job.clock.deadline,
                job.output,
                {self.out: job.output.kept},
                sock=self.sock,
                frames=self.frames,
            )
        except TimeoutError:
            raise self.stop("wall") from None
        except OverflowError:
            raise self.stop("output") from None
        except frames.WireError:
            mib = frames.FRAME_BYTES // 2**20
            why = f"it sent a value over {mib} MiB or something the grader could not read"
            raise self.end(why) from None
        if not got:
            raise self.died()
        self.waiting += got[1:]
        return got[0]

    def stop(self, limit: str) -> Stopped:
        self.close()
        self.gone = Stopped(limit)
        return self.gone

    def end(self, why: str) -> Ended:
        self.close()
        self.gone = Ended(why)
        return self.gone

    def died(self) -> BaseException:
        """Its socket closed: how it ended (it may have closed the socket and gone on)."""
        if self.gone is not None:
            return self.gone
        try:
            exit = self.children.wait(self.pid, self.job.clock.deadline)
        except TimeoutError:
            return self.stop("wall")
        self.pid = 0
        fault(exit.status, bytes(self.job.output.kept))
        limit = limit_of(exit, self.job.cpu_s)
        self.gone = Stopped(limit) if limit else Ended(describe_status(exit.status))
        return self.gone

    def close(self) -> None:
        if self.pid:
            self.children.stop(self.pid)
            self.pid = 0
        self.sock.close()
        if self.out >= 0:
            os.close(self.out)
            self.out = -1


class SolutionModule(types.ModuleType):
    """`import solution` in the judge: every name is looked up in the student's process."""

    def __init__(self, remote: Remote) -> None:
        super().__init__("solution")
        object.__setattr__(self, "_gs_remote", remote)

    def __getattr__(self, name: str) -> Any:
        if name == "__all__":
            return self._gs_remote.request("names", 0, [])
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self._gs_remote.request("getattr", 0, [], name=name)
        except AttributeError:
            raise AttributeError(f"module 'solution' has no attribute {name!r}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("__"):
            object.__setattr__(self, name, value)
        else:  # a test's monkeypatch of the student's module
            self._gs_remote.request("setattr", 0, [("value", value)], name=name)

    def __delattr__(self, name: str) -> None:
        self._gs_remote.request("delattr", 0, [], name=name)
