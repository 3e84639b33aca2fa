"""Sandboxed runs: `await Sandbox().run(job) -> RunResult`, through a pre-forked zygote.

The grader starts one zygote (inside/zygote.py) per process, with the real interpreter, an
empty environment and no secrets. Per slot (one job at a time each) the zygote forks a judge
that serves that slot's jobs over one socket: the grader sends the job and its tests and reads
the judge's records (results.py) up to the last one, with a hard deadline above the job's
wall-clock limit. A judge that misses it is killed and the slot gets a new one.
"""

import asyncio
import contextlib
import ctypes
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import stat
import sys
import sysconfig
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec

from events import Limits, TestStyle
from services.grader import results, seccomp_filter
from services.grader.results import RunResult

log = logging.getLogger(__name__)

ZYGOTE = Path(__file__).with_name("inside") / "zygote.py"
RESULT_BYTES = 4 * 2**20  # the records of one job
GRACE_S = 10.0  # past the wall-clock limit, the judge itself is killed
SLOTS = 64  # sandboxed runs at once in one grader process: one uid each
UID_FIRST = 200_000  # slot uids: UID_FIRST + SLOTS * block + slot, a block per grader process
UID_BLOCKS = 1024
TMPFS_MB = 64  # each slot's scratch folder (the student's files) and the judge's copy of tests
OPEN_FILES = 64
PROCESSES = 64  # threads included, per slot uid
PR_SET_PDEATHSIG = 1


class SandboxJob(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    tests: str
    test_style: TestStyle
    entry_point: str | None = None
    limits: Limits = msgspec.field(default_factory=Limits)


class SandboxRun(msgspec.Struct, frozen=True, kw_only=True):
    """An ungraded run: the program fed `stdin`, or imported and `call` evaluated."""

    code: str
    test_style: TestStyle
    entry_point: str | None = None
    limits: Limits
    stdin: str = ""
    call: str | None = None


class SandboxError(Exception):
    """The sandbox itself failed (the zygote, a judge): no verdict; the job is graded again."""


def interpreter() -> tuple[str, str | None]:
    """The real interpreter for the zygote, and why the uid layer is off (None: it is on).

    A child dropped to an unprivileged uid imports the standard library from disk, so the
    interpreter's library must be readable by every uid; the pyenv one under /root is not.
    """
    ours = os.path.realpath(sys.executable)
    if _readable_by_all(sysconfig.get_paths()["stdlib"]):
        return ours, None
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    system = f"/usr/bin/python{version}"
    if os.access(system, os.X_OK) and _readable_by_all(f"/usr/lib/python{version}"):
        return system, None
    return ours, f"the standard library of {ours} is not readable by other users"


def _readable_by_all(path: str) -> bool:
    target = Path(path)
    if not target.is_dir():
        return False
    for part in [target, *target.parents]:
        if not part.stat().st_mode & stat.S_IXOTH:
            return False
    return bool(target.stat().st_mode & stat.S_IROTH)


class UidBlock:
    """A block of SLOTS uids no other grader process on this machine uses (a held lock)."""

    def __init__(self) -> None:
        folder = Path(tempfile.gettempdir()) / "grindstone-grader-uids"
        folder.mkdir(mode=0o755, exist_ok=True)
        for block in range(UID_BLOCKS):
            fd = os.open(folder / f"{block}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self.fd, self.first = fd, UID_FIRST + SLOTS * block
            return
        raise SandboxError("every block of slot uids is taken")

    def close(self) -> None:
        os.close(self.fd)


class Sandbox:
    def __init__(self) -> None:
        self.layers: dict[str, str] = {}
        self.python = ""
        self._ctl: socket.socket | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._forking: dict[int, asyncio.Future[int]] = {}  # slot -> its new judge's pid
        self._judges: dict[int, _Judge] = {}
        self._free = list(range(SLOTS))
        self._slot_ready = asyncio.Condition()
        self._start_lock = asyncio.Lock()
        self._uids: UidBlock | None = None
        self._base = ""

    async def start(self) -> None:
        async with self._start_lock:
            if self._ctl is not None:
                return
            self._uids = self._uids or UidBlock()
            self._base = self._base or tempfile.mkdtemp(prefix="grindstone-sandbox-")
            os.chmod(self._base, 0o711)
            python, uid_why = interpreter()
            try:
                bpf, seccomp_why = seccomp_filter.build().hex(), None
            except (OSError, AttributeError) as exc:  # no libseccomp here
                bpf, seccomp_why = "", f"no libseccomp: {exc}"
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            config = {
                "ctl_fd": theirs.fileno(),
                "base": self._base,
                "uid_base": self._uids.first,
                "drop_uid": uid_why is None,
                "uid_why": uid_why,
                "seccomp_bpf": bpf,
                "seccomp_why": seccomp_why,
                "tmpfs_mb": TMPFS_MB,
                "file_bytes": results.FILE_SIZE_MB * 2**20,
                "open_files": OPEN_FILES,
                "processes": PROCESSES,
            }
            with theirs:
                self._proc = await asyncio.create_subprocess_exec(
                    *(python, "-I", "-S", "-B", str(ZYGOTE), json.dumps(config)),
                    stdin=asyncio.subprocess.DEVNULL,
                    stdout=asyncio.subprocess.DEVNULL,
                    env={"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"},
                    pass_fds=(theirs.fileno(),),
                    preexec_fn=_die_with_parent,
                )
            hello = json.loads(await asyncio.get_running_loop().sock_recv(ours, 65536) or b"{}")
            if "layers" not in hello:
                await self._proc.wait()
                ours.close()
                raise SandboxError(f"the zygote did not start: {hello.get('failed', 'no answer')}")
            self.layers, self.python = hello["layers"], python
            ours.setblocking(False)
            self._ctl = ours
            asyncio.get_running_loop().add_reader(ours.fileno(), self._on_control)

    def _on_control(self) -> None:
        assert self._ctl is not None
        try:
            message = self._ctl.recv(65536)
        except BlockingIOError:
            return
        if not message:  # the zygote is gone: the next job starts a new one
            self._lost_zygote()
            return
        answer = json.loads(message)
        future = self._forking.pop(answer.get("slot"), None)
        if future is not None and not future.done():
            future.set_result(int(answer["pid"]))

    def _lost_zygote(self) -> None:
        if self._ctl is not None:
            asyncio.get_running_loop().remove_reader(self._ctl.fileno())
            self._ctl.close()
            self._ctl = None
        for future in self._forking.values():
            if not future.done():
                future.set_exception(SandboxError("the zygote ended"))
        self._forking.clear()
        for judge in self._judges.values():
            judge.close()
        self._judges.clear()
        log.error("the sandbox zygote ended; a new one starts with the next job")

    async def close(self) -> None:
        judges = [judge.pid for judge in self._judges.values()]
        for judge in self._judges.values():
            judge.close()
        self._judges.clear()
        await _reaped(judges)  # by the zygote, before it goes: none outlives the grader
        if self._ctl is not None:
            asyncio.get_running_loop().remove_reader(self._ctl.fileno())
            self._ctl.close()
            self._ctl = None
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()
            await self._proc.wait()
        if self._uids is not None:
            self._uids.close()
        if self._base:
            shutil.rmtree(self._base, ignore_errors=True)

    def pids(self) -> list[int]:
        """The zygote's and the live judges' (for measuring their CPU time)."""
        zygote = [self._proc.pid] if self._proc is not None else []
        return zygote + [judge.pid for judge in self._judges.values()]

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[int]:
        async with self._slot_ready:
            await self._slot_ready.wait_for(lambda: bool(self._free))
            slot = self._free.pop()
        try:
            yield slot
        finally:
            async with self._slot_ready:
                self._free.append(slot)
                self._slot_ready.notify()

    async def run(self, job: SandboxJob | SandboxRun) -> RunResult:
        """The run's result (an ungraded run's in `.ran`); SandboxError if the sandbox itself
        failed (never the student's doing to decide: the caller grades the job again later)."""
        started = time.monotonic()
        try:
            await self.start()
            async with self._slot() as slot:
                result = await self._run(job, slot)
        except OSError as exc:
            raise SandboxError(f"the sandbox failed: {exc}") from exc
        if result.retry:
            raise SandboxError(result.fault)
        result.runtime_ms = round((time.monotonic() - started) * 1000)
        return result

    async def warm(self, judges: int) -> None:
        """Fork now the judges of the `judges` slots handed out first, rather than on their
        first jobs: a judge's imports would fall on the first students after a start."""
        await self.start()
        for slot in self._free[-judges:]:  # _slot pops from the end
            await self._judge(slot)

    async def _judge(self, slot: int) -> "_Judge":
        """The slot's judge, forked by the zygote on first use (or after one was lost)."""
        judge = self._judges.get(slot)
        if judge is not None:
            return judge
        assert self._ctl is not None
        ours, theirs = socket.socketpair()
        pid = self._forking[slot] = asyncio.get_running_loop().create_future()
        with theirs:
            socket.send_fds(self._ctl, [json.dumps({"judge": slot}).encode()], [theirs.fileno()])
        reader, writer = await asyncio.open_unix_connection(sock=ours, limit=RESULT_BYTES)
        judge = self._judges[slot] = _Judge(await asyncio.wait_for(pid, 10.0), reader, writer)
        return judge

    async def _run(self, job: SandboxJob | SandboxRun, slot: int) -> RunResult:
        judge = await self._judge(slot)
        first: dict[str, Any] = {
            "code": job.code,
            "style": job.test_style,
            "entry_point": job.entry_point,
            "limits": msgspec.to_builtins(job.limits),
        }
        if isinstance(job, SandboxRun):
            first["run"] = {"stdin": job.stdin, "call": job.call}
        tests = job.tests if isinstance(job, SandboxJob) else ""
        records: list[results.Record] = []
        size = 0
        try:
            judge.writer.write(_frame(first) + _frame({"tests": tests}))
            async with asyncio.timeout(job.limits.wall_ms / 1000 + GRACE_S):
                await judge.writer.drain()
                while not (records and results.is_last(records[-1])):
                    line = await judge.reader.readline()
                    if not line:
                        raise ConnectionResetError("the judge ended")
                    size += len(line)
                    if size <= RESULT_BYTES:
                        records += results.parse_records([line])
        except TimeoutError:
            self._lose(slot)
            raise SandboxError("the judge did not finish in time") from None
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self._lose(slot)
        return _fold(records, job.limits)

    def _lose(self, slot: int) -> None:
        judge = self._judges.pop(slot, None)
        if judge is not None:
            judge.close()


class _Judge:
    def __init__(
        self, pid: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.pid, self.reader, self.writer = pid, reader, writer

    def close(self) -> None:
        """Kill it (the zygote then kills its children) and drop the connection."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.writer.close()


async def _reaped(pids: list[int], within_s: float = 2.0) -> None:
    """Until none of `pids` is in /proc any more (killed judges the zygote reaps), at most
    `within_s`."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):  # noqa: ASYNC240 (procfs)
            return
        await asyncio.sleep(0.01)


def _frame(message: Any) -> bytes:
    data = json.dumps(message).encode()
    return len(data).to_bytes(4, "big") + data


def _fold(records: list[results.Record], limits: Limits) -> RunResult:
    result = results.fold(records, limits)
    if not result.over:
        raise SandboxError("the judge process ended without a result")
    return result


def _die_with_parent() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
