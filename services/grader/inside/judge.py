"""One grading job, in a process the zygote forked: runs the tests and every comparison.

The student's code never runs here. It runs in a confined child that the judge forks *before*
it reads the tests, so nothing of them is in that child's memory: for a module, one child that
imports solution.py and answers calls (the test module sees a proxy `solution`); for a
stdin/stdout program, a clean spawner that forks a confined child per run (the tests'
`subprocess.run` of solution.py is routed to it). What crosses back is plain data (wire.py).
The judge enforces the wall clock over the whole job, caps the output, kills the children's
process groups, reports records (results.py) on the job socket and cleans the scratch folder.
"""

import builtins
import contextlib
import fcntl
import importlib.util
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import time
import types
from collections.abc import Callable, Iterator
from typing import Any

import confine
import explain
import student
import wire

KEEP_CHARS = 4096  # output kept per test; the grader caps every text again
CONFINE_FAILED = 70  # a child that could not confine itself exits with this and says why
FAULT_MARK = "grindstone-sandbox: "
MAX_FD = 65536
FIRST_SPARE_FD = 64  # fds are moved above this before they become 0, 1, 2, ...


class Stopped(BaseException):  # noqa: N818 - not an error of the tests: the run is over
    """A limit ended the run (the student's processes are already killed)."""

    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


class Ended(BaseException):  # noqa: N818
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
    selector = selectors.DefaultSelector()
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


def limit_of(status: int) -> str | None:
    """The limit a death by signal means: RLIMIT_CPU sends SIGXCPU, then SIGKILL."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGXCPU, signal.SIGKILL):
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


class Job:
    """One job: its settings, its folders, the confinement plan of its children."""

    def __init__(self, context: dict[str, Any], config: dict[str, Any]) -> None:
        self.context, self.config = context, config
        limits = config["limits"]
        self.slot_dir = os.path.join(context["base"], f"slot-{config['slot']}")
        self.scratch = os.path.join(self.slot_dir, "work")
        self.judge_dir = os.path.join(self.slot_dir, "judge")
        self.solution = os.path.join(self.scratch, "solution.py")
        self.tests_path = os.path.join(self.judge_dir, "test_solution.py")
        self.uid = context["uid_base"] + config["slot"] if context["drop_uid"] else None
        self.clock = Clock(limits["wall_ms"] / 1000)
        self.output = Output(limits["output_kb"] * 1024)
        self.plan = confine.Plan(
            uid=self.uid,
            cpu_s=max(1, -(-limits["cpu_ms"] // 1000)),
            memory_bytes=limits["memory_mb"] * 2**20,
            file_bytes=context["file_bytes"],
            open_files=context["open_files"],
            processes=context["processes"],
            landlock_abi=context["landlock_abi"],
            read_only=context["read_only"],
            writable=[self.scratch, "/dev/null"],
            seccomp_bpf=bytes.fromhex(context["seccomp_bpf"]),
        )

    def prepare(self) -> None:
        os.makedirs(self.slot_dir, mode=0o711, exist_ok=True)
        if self.context["tmpfs_bytes"] and not os.path.ismount(self.slot_dir):
            confine.mount_tmpfs(self.slot_dir, self.context["tmpfs_bytes"])
        self.clean()
        os.mkdir(self.judge_dir, 0o700)
        os.mkdir(self.scratch, 0o700)
        with open(self.solution, "w", encoding="utf-8") as f:
            f.write(self.config["code"])
        if self.uid is not None:
            os.chown(self.scratch, self.uid, self.uid)
            os.chown(self.solution, self.uid, self.uid)

    def clean(self) -> None:
        for name in ("work", "judge"):
            shutil.rmtree(os.path.join(self.slot_dir, name), ignore_errors=True)

    def become_student(self, fds: list[int], parent: int) -> None:
        """In a freshly forked child: its own session, only `fds` (as 0, 1, 2, ...), confined."""
        try:
            os.setsid()
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, FIRST_SPARE_FD) for fd in fds]
            for target, fd in enumerate(high):
                os.dup2(fd, target)
            os.closerange(len(fds), MAX_FD)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            confine.apply(self.plan, parent)
            student.settle(self.scratch, self.context["stdlib"])
        except BaseException as exc:
            os.write(2, f"{FAULT_MARK}{type(exc).__name__}: {exc}\n".encode())
            os._exit(CONFINE_FAILED)


class Remote:
    """The confined child that imported solution.py, seen from the judge."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.sock, child_sock = socket.socketpair()
        out_r, out_w = os.pipe()
        null = os.open("/dev/null", os.O_RDONLY)
        judge = os.getpid()
        pid = os.fork()
        if pid == 0:
            self.sock.close()
            os.close(out_r)
            job.become_student([null, out_w, out_w, child_sock.fileno()], judge)
            conn = socket.socket(fileno=3)
            student.serve(conn, job.solution, job.config.get("entry_point"))
            os._exit(0)
        child_sock.close()
        os.close(out_w)
        os.close(null)
        self.pid, self.out = pid, out_r
        self.frames = wire.Frames()
        self.gone: BaseException | None = None

    def wait_reply(self) -> dict[str, Any]:
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
            raise self.end("it wrote something the grader could not read") from None
        if not got:
            raise self.died()
        reply = got[0]
        if not isinstance(reply, dict):
            raise self.end("it wrote something the grader could not read")
        return reply

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
                return wire.decode(reply["value"])
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
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        limit = limit_of(status)
        self.gone = Stopped(limit) if limit else Ended(describe_status(status))
        return self.gone

    def close(self) -> None:
        if self.pid:
            kill_group(self.pid)
            os.waitpid(self.pid, 0)
            self.pid = 0


class RemoteObject:
    """Something of the student's that is not plain data: it can be called or iterated,
    never compared or used as true/false (the student's code would decide the answer)."""

    def __init__(self, remote: Remote, handle: int, type_name: str) -> None:
        self._remote, self._handle, self._type = remote, handle, type_name

    def _ref(self, value: Any) -> int | None:
        return value._handle if isinstance(value, RemoteObject) else None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            encoded = wire.encode(list(args), self._ref), wire.encode(kwargs, self._ref)
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


class Spawner:
    """A clean child of the judge (forked before the tests were read) that forks one confined
    child per program run, so a run sees nothing of the tests."""

    def __init__(self, job: Job, job_sock: socket.socket) -> None:
        self.job = job
        self.sock, child_sock = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        judge = os.getpid()
        pid = os.fork()
        if pid == 0:
            self.sock.close()
            job_sock.close()
            self._serve(child_sock, judge)
            os._exit(0)
        child_sock.close()
        self.pid = pid

    def _serve(self, sock: socket.socket, judge: int) -> None:
        confine._prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != judge:
            return
        me = os.getpid()
        while True:
            message, fds, _, _ = socket.recv_fds(sock, 4096, 3)
            if not message:
                return
            op = json.loads(message)["op"]
            pid = os.fork()
            if pid == 0:
                sock.close()
                self.job.become_student(fds, me)
                if op == "check":
                    problem = student.check(self.job.solution)
                    os.write(1, json.dumps(problem).encode())
                    os._exit(0)
                os._exit(student.run_program(self.job.solution))
            for fd in fds:
                os.close(fd)
            sock.send(json.dumps({"pid": pid}).encode())
            _, status = os.waitpid(pid, 0)
            sock.send(json.dumps({"status": status}).encode())

    def run(self, op: str, data: bytes, timeout: float | None) -> tuple[int, bytes, bytes]:
        """(wait status, stdout, stderr) of one run; TimeoutError past `timeout` (the test's),
        Stopped past the job's wall clock or output limit."""
        stdin_r, stdin_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        socket.send_fds(self.sock, [json.dumps({"op": op}).encode()], [stdin_r, out_w, err_w])
        for fd in (stdin_r, out_w, err_w):
            os.close(fd)
        pid = json.loads(self.sock.recv(4096))["pid"]
        clock = self.job.clock
        end = min(clock.deadline, time.monotonic() + timeout if timeout else clock.deadline)
        out, err = bytearray(), bytearray()
        output = Output(self.job.output.cap)  # the output limit holds per run
        try:
            pump(end, output, {out_r: out, err_r: err}, stdin=(stdin_w, data))
            status = self._status(pid, end)  # it may have closed its output and gone on
        except OverflowError:
            self._kill(pid)
            raise Stopped("output") from None
        except TimeoutError:
            self._kill(pid)
            if clock.left() <= 0:
                raise Stopped("wall") from None
            raise
        finally:
            os.close(out_r)
            os.close(err_r)
        return status, bytes(out), bytes(err)

    def _status(self, pid: int, end: float) -> int:
        self.sock.settimeout(max(end - time.monotonic(), 0.001))
        try:
            return int(json.loads(self.sock.recv(4096))["status"])
        except TimeoutError:
            raise
        except (OSError, ValueError, KeyError) as exc:
            raise Fault(f"the spawner did not answer: {exc}") from None
        finally:
            self.sock.settimeout(None)

    def _kill(self, pid: int) -> None:
        kill_group(pid)
        self._status(pid, time.monotonic() + 5.0)  # keep the spawner's answers in step

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class ProgramRuns:
    """`subprocess.run([python, "solution.py"], ...)` in the tests, through the spawner."""

    def __init__(self, spawner: Spawner) -> None:
        self.spawner = spawner

    def __call__(self, args: Any, **options: Any) -> subprocess.CompletedProcess[Any]:
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
            status, out, err = self.spawner.run("run", data, timeout)
        except TimeoutError:
            raise subprocess.TimeoutExpired(args, timeout) from None
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == CONFINE_FAILED:
            if err.decode("utf-8", "replace").startswith(FAULT_MARK):
                raise Fault(err.decode("utf-8", "replace").strip())
        limit = limit_of(status)
        if limit:
            raise Stopped(limit)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        stdout: Any = out.decode("utf-8", "replace") if text else out
        stderr: Any = err.decode("utf-8", "replace") if text else err
        if options.get("check") and code:
            raise subprocess.CalledProcessError(code, args, stdout, stderr)
        return subprocess.CompletedProcess(args, code, stdout, stderr)


class Run:
    def __init__(self, job: Job, reporter: Reporter, sock: socket.socket) -> None:
        self.job, self.reporter, self.sock = job, reporter, sock
        self.remote: Remote | None = None
        self.spawner: Spawner | None = None

    def main(self) -> None:
        job = self.job
        # the student's process is forked before the tests are read: they are not in its memory
        if job.config["style"] == "module":
            self.remote = Remote(job)
        else:
            self.spawner = Spawner(job, self.sock)
        with open(job.tests_path, "w", encoding="utf-8") as f:
            f.write(wire.recv(self.sock)["tests"])
        loaded = self.remote.wait_reply() if self.remote else self.check_program()
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
            assert self.spawner is not None
            subprocess.run = ProgramRuns(self.spawner)  # type: ignore[assignment]
        tests = self.collect()
        if tests is None:
            return
        self.reporter.send("tests", names=[name for name, _ in tests])
        for name, test in tests:
            self.reporter.send("start", name=name)
            self.reporter.send("case", name=name, **self.run_test(test))

    def check_program(self) -> dict[str, Any]:
        assert self.spawner is not None
        status, out, err = self.spawner.run("check", b"", None)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            raise Fault(f"the syntax check failed ({describe_status(status)}): {err[-500:]!r}")
        problem = json.loads(out or b"null")
        return {"load_error": problem} if problem else {"loaded": True}

    def send_output(self) -> None:
        text = self.job.output.take()
        if text:
            self.reporter.send("output", text=text)

    def collect(self) -> list[tuple[str, Any]] | None:
        try:
            spec = importlib.util.spec_from_file_location("test_solution", self.job.tests_path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["test_solution"] = module
            spec.loader.exec_module(module)
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
        if self.spawner is not None:
            self.spawner.close()


def _load_error(info: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": str(info.get("type", "")),
        "detail": str(info.get("detail", "")),
        "line": info.get("line") if isinstance(info.get("line"), int) else None,
        "source_line": info.get("source_line") if isinstance(info.get("source_line"), str) else None,
    }


def _send_output(reporter: Reporter, job: Job | None) -> None:
    """What the student's code wrote in the test the run stopped in."""
    text = job.output.take() if job is not None else ""
    if text:
        reporter.send("output", text=text)


def main(sock: socket.socket, context: dict[str, Any]) -> None:
    """The judge process: never returns."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    reporter = Reporter(sock)
    run: Run | None = None
    job: Job | None = None
    try:
        job = Job(context, wire.recv(sock))  # the tests come later, in a second frame
        job.prepare()
        run = Run(job, reporter, sock)
        run.main()
    except Stopped as stop:
        _send_output(reporter, job)
        reporter.send("limit", limit=stop.limit)
    except Ended as end:
        _send_output(reporter, job)
        reporter.send("ended", exit_status=end.status)
    except BaseException as exc:  # a fault of the sandbox itself
        reporter.send("fault", detail=f"the judge failed: {explain.error_text(exc)}")
    else:
        reporter.send("done")
    finally:
        with contextlib.suppress(BaseException):
            if run is not None:
                run.close()
            if job is not None:
                job.clean()
    os._exit(0)
