"""The student's module as the tests see it: a proxy whose names and calls cross to the
confined child; only plain data comes back (wire.py), the rest stays there as handles. The
tests' own non-plain objects go the other way: lent by handle, used through the judge."""

from __future__ import annotations

import builtins
import os
import socket
import types
from typing import TYPE_CHECKING, Any

import explain
import wire
from children import Children, Ended, Fault, Stopped, describe_status, fault, limit_of
from streams import pump

if TYPE_CHECKING:
    from judge import Job


class StudentError(Exception):
    """An exception of the student's code that has no builtin class of the same name."""


def student_exception(info: dict[str, Any]) -> Exception:
    """The judge's own exception object for what the student's code raised."""
    kind = getattr(builtins, str(info.get("type")), None)
    detail = str(info.get("detail", ""))
    exc: Exception
    if isinstance(kind, type) and issubclass(kind, Exception) and kind is not StopIteration:
        try:
            exc = kind(detail) if detail else kind()
        except Exception:
            exc = StudentError(explain.student_error(info))
    else:
        exc = StudentError(explain.student_error(info))
    exc.student = info  # type: ignore[attr-defined]
    return exc


class Remote:
    """The confined child that imported solution.py, seen from the judge."""

    def __init__(self, job: Job, children: Children) -> None:
        self.job, self.children = job, children
        self.sock, child_sock = socket.socketpair()
        out_r, out_w = os.pipe()
        null = os.open("/dev/null", os.O_RDONLY)
        with child_sock:
            fds = [null, out_w, out_w, child_sock.fileno()]
            self.pid = children.start(job.child("module"), fds)
        os.close(null)
        os.close(out_w)
        self.out = out_r
        self.frames = wire.Frames()
        self.waiting: list[Any] = []  # frames read, not handled yet
        self.lent: list[Any] = []  # the tests' own objects passed to the student's code
        self.gone: BaseException | None = None

    def ref(self, value: Any) -> dict[str, int]:
        """A handle for a value that is not plain data: the student's own, or one we lend."""
        if isinstance(value, RemoteObject):
            return {"ref": value._handle}
        self.lent.append(value)
        return {"lent": len(self.lent) - 1}

    def resolve(self, tag: str, number: int) -> Any:
        if tag != "lent":
            raise ValueError("the student's process names its own objects by reply handles")
        return self.lent[number]

    def wait_reply(self) -> dict[str, Any]:
        """The answer to our request; the student's code may first ask for the lent objects'
        items, lengths, calls (served here, by the tests' own code)."""
        while True:
            reply = self.next_frame()
            if "back" not in reply:
                return reply
            wire.send(self.sock, self.lend(reply))

    def lend(self, request: dict[str, Any]) -> dict[str, Any]:
        """Use a lent object for the student's code: these operations only, plain data in and
        out."""
        try:
            target = self.lent[int(request["handle"])]
            match request["back"]:
                case "len":
                    value: Any = len(target)
                case "getitem":
                    value = target[wire.decode(request["key"], self.resolve)]
                case "contains":
                    value = wire.decode(request["item"], self.resolve) in target
                case "iter":
                    value = iter(target)
                case "next":
                    value = next(target)
                case "call":
                    args = wire.decode(request["args"], self.resolve)
                    kwargs = wire.decode(request["kwargs"], self.resolve)
                    value = target(*args, **kwargs)
                case _:
                    raise TypeError("unknown operation")
            return {"value": wire.encode(value, self.ref)}
        except StopIteration:
            return {"stop": True}
        except (Stopped, Ended, Fault):
            raise
        except Exception as exc:
            return {"raised": {"type": type(exc).__name__, "detail": explain.show(str(exc))}}

    def next_frame(self) -> dict[str, Any]:
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
        except wire.WireError:
            mib = wire.FRAME_BYTES // 2**20
            why = f"it sent a value over {mib} MiB or something the grader could not read"
            raise self.end(why) from None
        if not got:
            raise self.died()
        self.waiting += got[1:]
        return got[0]

    def request(self, **message: Any) -> Any:
        if self.gone is not None:
            raise self.gone
        try:
            wire.send(self.sock, message)
        except OSError:
            raise self.died() from None
        return self.result(self.wait_reply())

    def result(self, reply: dict[str, Any]) -> Any:
        if "value" in reply:
            try:
                return wire.decode(reply["value"], self.resolve)
            except wire.WireError:
                raise self.end("it sent a value the grader could not read") from None
        if "handle" in reply:
            return RemoteObject(self, reply["handle"], str(reply.get("type", "object")))
        if "raised" in reply and isinstance(reply["raised"], dict):
            raise student_exception(reply["raised"])
        if reply.get("limit") == "memory":
            raise self.stop("memory")
        if reply.get("stop"):
            raise StopIteration
        if reply.get("missing"):
            raise LookupError
        raise self.end("it wrote something the grader could not read")

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


class RemoteObject:
    """Something of the student's that is not plain data: it can be called or iterated,
    never compared or used as true/false (the student's code would decide the answer).
    The tests' own such objects go the other way: lent by handle (`Remote.lend`)."""

    def __init__(self, remote: Remote, handle: int, type_name: str) -> None:
        self._remote, self._handle, self._type = remote, handle, type_name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        ref = self._remote.ref
        try:
            encoded = wire.encode(list(args), ref), wire.encode(kwargs, ref)
        except wire.NotPlain as exc:
            raise TypeError(f"the test passed a value the sandbox cannot send ({exc})") from None
        return self._remote.request(
            op="call", handle=self._handle, args=encoded[0], kwargs=encoded[1]
        )

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self._remote.request(op="getattr", handle=self._handle, name=name)

    def __iter__(self) -> Any:
        return self._remote.request(op="iter", handle=self._handle)

    def __next__(self) -> Any:
        return self._remote.request(op="next", handle=self._handle)

    def __bool__(self) -> bool:
        raise TypeError(
            f"your code returned a {self._type} object; the test needs a plain value "
            "(a number, string, list, tuple, dict, set, bool or None)"
        )

    def __repr__(self) -> str:
        return f"<{self._type} object>"

    __hash__ = object.__hash__


class SolutionModule(types.ModuleType):
    """`import solution` in the judge: every name is looked up in the student's process."""

    def __init__(self, remote: Remote) -> None:
        super().__init__("solution")
        self.__remote = remote

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self.__remote.request(op="getattr", handle=0, name=name)
        except LookupError:
            raise AttributeError(f"module 'solution' has no attribute {name!r}") from None
