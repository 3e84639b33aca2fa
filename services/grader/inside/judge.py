"""A judge: serves one slot's grading jobs, one after another; runs the tests and every
comparison. It never runs the student's code.

Per job the grader sends two frames (the job with the student's code, then the tests) and
reads JSON-lines records (results.py) until the last one (done, a limit, ended, fault). The
student's code runs in confined children the zygote forks on the judge's request, never from
the judge, so nothing of any test is in their memory: for a module, one child that imports
solution.py and answers calls (the tests see a proxy `solution`); for a stdin/stdout
program, one child per run (the tests' `subprocess.run` of solution.py is routed to it). What
crosses back is plain data (wire.py). The judge enforces the wall clock over the whole job,
caps the output, kills the children's process groups and cleans the slot's folders.
"""

import builtins
import contextlib
import functools
import json
import linecache
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Iterator
from typing import Any, NamedTuple

import explain
import student
import wire

KEEP_CHARS = 4096  # output kept per test; the grader caps every text again


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


class StudentError(Exception):
    """An exception of the student's code that has no builtin class of the same name."""


class Reporter:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, kind: str, **fields: object) -> None:
        line = json.dumps({"kind": kind, **fields}, ensure_ascii=False) + "\n"
        self.sock.sendall(line.encode("utf-8", "replace"))


class Clock:
    def __init__(self, wall_s: float) -> None:
        self.deadline = time.monotonic() + wall_s

    def left(self) -> float:
        return self.deadline - time.monotonic()


class Output:
    """What the student's processes write, counted against a limit; per-test text kept."""

    def __init__(self, cap: int) -> None:
        self.cap, self.total, self.muted = cap, 0, False
        self.kept = bytearray()

    def add(self, into: bytearray, data: bytes) -> bool:
        """Keep `data` in `into`; False once more than the limit was written."""
        room = self.cap - self.total
        self.total += len(data)
        if not self.muted:
            into += data[: max(room, 0)]
        return self.total <= self.cap

    def take(self) -> str:
        text = self.kept.decode("utf-8", "replace")[:KEEP_CHARS]
        self.kept.clear()
        return text

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        self.muted = True
        try:
            yield
        finally:
            self.muted = False


def kill_group(pid: int) -> None:
    for kill in (os.killpg, os.kill):  # the group, or the child if it had no group of its own yet
        with contextlib.suppress(ProcessLookupError, PermissionError):
            kill(pid, signal.SIGKILL)


def pump(
    end: float,
    output: Output,
    reads: dict[int, bytearray],
    *,
    sock: socket.socket | None = None,
    frames: wire.Frames | None = None,
    stdin: tuple[int, bytes] | None = None,
) -> list[Any]:
    """Move bytes until a frame (or EOF) comes on `sock`; without one, until every output
    pipe closed. Feeds `stdin`, collects output into `reads`' buffers.

    Raises TimeoutError at `end` (a monotonic time), OverflowError past the output limit;
    the caller kills. Returns the frames (empty: `sock` closed).
    """
    selector = selectors.PollSelector()  # a few descriptors, no epoll fd to make per call
    open_reads = dict(reads)
    for fd in open_reads:
        selector.register(fd, selectors.EVENT_READ)
    if sock is not None:
        selector.register(sock, selectors.EVENT_READ)
    pending = b""
    if stdin is not None:
        pending = stdin[1]
        os.set_blocking(stdin[0], False)
        selector.register(stdin[0], selectors.EVENT_WRITE)
    got: list[Any] = []
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError
            for key, _ in selector.select(left):
                if key.fileobj is sock:
                    data = sock.recv(65536)
                    if not data:
                        _drain_ready(output, open_reads)
                        return got
                    assert frames is not None
                    got += frames.feed(data)
                elif stdin is not None and key.fd == stdin[0]:
                    try:
                        pending = pending[os.write(key.fd, pending[:65536]) :]
                    except BrokenPipeError:  # the program stopped reading: fine
                        pending = b""
                    if not pending:
                        selector.unregister(key.fd)
                        os.close(key.fd)
                        stdin, pending = None, b""
                else:
                    data = os.read(key.fd, 65536)
                    if not data:
                        selector.unregister(key.fd)
                        del open_reads[key.fd]
                    elif not output.add(open_reads[key.fd], data):
                        raise OverflowError
            if sock is not None and got:
                _drain_ready(output, open_reads)  # it flushed before replying
                return got
            if sock is None and not open_reads:
                return got
    finally:
        if stdin is not None:
            with contextlib.suppress(OSError):
                os.close(stdin[0])
        selector.close()


def _drain_ready(output: Output, reads: dict[int, bytearray]) -> None:
    for fd, into in reads.items():
        os.set_blocking(fd, False)
        try:
            while data := os.read(fd, 65536):
                if not output.add(into, data):
                    raise OverflowError
        except BlockingIOError:
            pass
        finally:
            os.set_blocking(fd, True)


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
    elif os.WEXITSTATUS(status) == student.MEMORY_EXIT:
        return "memory"
    return None


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


@functools.lru_cache(maxsize=32)
def compiled_tests(path: str, source: str) -> types.CodeType:
    """An assignment's tests, compiled once per judge (its jobs come again and again)."""
    return compile(source, path, "exec", dont_inherit=True)


class Job:
    """One job: its settings, its slot's folders, its clock and output."""

    def __init__(self, context: dict[str, Any], slot: int, config: dict[str, Any]) -> None:
        self.context, self.config = context, config
        slot_dir = os.path.join(context["base"], f"slot-{slot}")
        self.scratch = os.path.join(slot_dir, "work")
        self.judge_dir = os.path.join(slot_dir, "judge")
        self.solution = os.path.join(self.scratch, "solution.py")
        self.tests_path = os.path.join(self.judge_dir, "test_solution.py")
        self.uid = context["uid_base"] + slot if context["drop_uid"] else None
        limits = config["limits"]
        self.cpu_s = max(1, -(-int(limits["cpu_ms"]) // 1000))  # RLIMIT_CPU counts seconds
        self.clock = Clock(limits["wall_ms"] / 1000)
        self.output = Output(limits["output_kb"] * 1024)

    def prepare(self, tests: str) -> None:
        self.tests = tests
        self.clean()
        with open(self.solution, "w", encoding="utf-8") as f:
            f.write(self.config["code"])
        if self.uid is not None:
            os.chown(self.solution, self.uid, self.uid)
        with open(self.tests_path, "w", encoding="utf-8") as f:
            f.write(tests)

    def clean(self) -> None:
        """Empty the slot's folders (kept: the Landlock rules name them)."""
        for folder in (self.scratch, self.judge_dir):
            for entry in os.scandir(folder):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def child(self, mode: str) -> dict[str, Any]:
        """What the zygote needs to fork a confined child for this job."""
        entry_point = self.config.get("entry_point")
        return {"mode": mode, "limits": self.config["limits"], "entry_point": entry_point}


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


class Programs:
    """Runs of solution.py as a program, each in a confined child of its own."""

    def __init__(self, job: Job, children: Children) -> None:
        self.job, self.children = job, children

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
        stdout: Any = out.decode("utf-8", "replace") if text else out
        stderr: Any = err.decode("utf-8", "replace") if text else err
        if options.get("check") and code:
            raise subprocess.CalledProcessError(code, args, stdout, stderr)
        return subprocess.CompletedProcess(args, code, stdout, stderr)


def fault(status: int, err: bytes) -> None:
    """A child that could not confine itself says so on stderr (a program that fakes this
    gets an `error` verdict: never a pass)."""
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == student.CONFINE_FAILED:
        text = err.decode("utf-8", "replace")
        if text.startswith(student.FAULT_MARK):
            raise Fault(text.strip())


class Run:
    def __init__(self, job: Job, reporter: Reporter, children: Children) -> None:
        self.job, self.reporter, self.children = job, reporter, children
        self.remote: Remote | None = None
        self.programs: Programs | None = None

    def main(self) -> None:
        job = self.job
        if job.config["style"] == "module":
            self.remote = Remote(job, self.children)
            loaded = self.remote.wait_reply()
        else:
            self.programs = Programs(job, self.children)
            loaded = self.check_program()
        self.explain = explain.Explain(job.tests_path, job.output.quiet)
        self.send_output()
        if loaded.get("limit"):
            raise Stopped(str(loaded["limit"]))
        if "load_error" in loaded:
            self.reporter.send("load_error", **_load_error(loaded["load_error"]))
            self.reporter.send("tests", names=self.explain.declared_tests())
            return
        if self.remote is not None:
            sys.modules["solution"] = SolutionModule(self.remote)
        else:
            subprocess.run = self.programs  # type: ignore[assignment]
        tests = self.collect()
        if tests is None:
            return
        self.reporter.send("tests", names=[name for name, _ in tests])
        for name, test in tests:
            self.reporter.send("start", name=name)
            self.reporter.send("case", name=name, **self.run_test(test))

    def check_program(self) -> dict[str, Any]:
        assert self.programs is not None
        exit, out, err = self.programs.run("check", b"", None)
        status = exit.status
        fault(status, err)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            raise Fault(f"the syntax check failed ({describe_status(status)}): {err[-500:]!r}")
        problem = json.loads(out or b"null")
        return {"load_error": problem} if problem else {"loaded": True}

    def send_output(self) -> None:
        text = self.job.output.take()
        if text:
            self.reporter.send("output", text=text)

    def collect(self) -> list[tuple[str, Any]] | None:
        module = types.ModuleType("test_solution")
        module.__file__ = self.job.tests_path
        sys.modules["test_solution"] = module
        try:
            exec(compiled_tests(self.job.tests_path, self.job.tests), module.__dict__)
        except (Stopped, Ended):
            raise
        except Exception as exc:
            self.fail_to_load_tests(exc)
            return None
        finally:
            self.send_output()
        return [
            (name, obj)
            for name, obj in vars(module).items()
            if name.startswith("test_")
            and callable(obj)
            and getattr(obj, "__module__", None) == module.__name__
        ]

    def fail_to_load_tests(self, exc: BaseException) -> None:
        theirs = getattr(exc, "student", None)
        if theirs is not None or (isinstance(exc, ImportError) and exc.name == "solution"):
            problem = theirs or {"type": type(exc).__name__, "detail": str(exc)}
            self.reporter.send("load_error", **_load_error(problem))
            self.reporter.send("tests", names=self.explain.declared_tests())
        else:
            detail = f"the assignment's tests could not be loaded: {explain.error_text(exc)}"
            self.reporter.send("fault", detail=detail)

    def run_test(self, test: Any) -> dict[str, Any]:
        try:
            test()
        except (Stopped, Ended, Fault):
            raise
        except AssertionError as exc:
            case = self.explain.assertion(exc)
        except BaseException as exc:  # the student's code may raise anything, even SystemExit
            case = self.explain.exception(exc)
        else:
            case = {"outcome": "passed"}
        if self.remote is not None and self.remote.gone is not None:
            raise self.remote.gone  # a test that swallowed the end of the run
        return {**case, "output": self.job.output.take()}

    def close(self) -> None:
        if self.remote is not None:
            self.remote.close()


def _load_error(info: dict[str, Any]) -> dict[str, Any]:
    """Only the fields of results.LoadError, of their types (the student's process sent it)."""
    if not isinstance(info, dict):
        info = {"type": "", "detail": "Your program's process sent an answer nobody can read."}
    line, source_line = info.get("line"), info.get("source_line")
    return {
        "type": str(info.get("type", "")),
        "detail": str(info.get("detail", "")),
        "line": line if type(line) is int else None,
        "source_line": source_line if type(source_line) is str else None,
    }


def _send_output(reporter: Reporter, job: Job) -> None:
    """What the student's code wrote in the test the run stopped in."""
    text = job.output.take()
    if text:
        reporter.send("output", text=text)


def main(sock: socket.socket, zygote: socket.socket, context: dict[str, Any], slot: int) -> None:
    """The judge process: serves the slot's jobs until the grader closes `sock`."""
    children = Children(zygote)
    modules, path, run = set(sys.modules), list(sys.path), subprocess.run
    while True:
        try:
            config, tests = wire.recv(sock), wire.recv(sock)["tests"]
        except (EOFError, OSError, wire.WireError):
            os._exit(0)
        one_job(Reporter(sock), children, Job(context, slot, config), tests)
        for name in set(sys.modules) - modules:  # this job's tests and what they imported
            del sys.modules[name]
        sys.path[:], subprocess.run = path, run  # type: ignore[assignment]
        linecache.clearcache()


def one_job(reporter: Reporter, children: Children, job: Job, tests: str) -> None:
    run: Run | None = None
    try:
        job.prepare(tests)
        run = Run(job, reporter, children)
        run.main()
    except Stopped as stop:
        _send_output(reporter, job)
        reporter.send("limit", limit=stop.limit)
    except Ended as end:
        _send_output(reporter, job)
        reporter.send("ended", exit_status=end.status)
    except BaseException as exc:  # a fault of the sandbox itself: the grader tries again
        detail = f"the judge failed: {explain.error_text(exc)}"
        reporter.send("fault", detail=detail, retry=True)
    else:
        reporter.send("done")
    finally:
        if run is not None:
            run.close()  # the children are gone before their folder is emptied
        job.clean()
