"""One sandboxed run: `run(job) -> RunResult`, a fresh interpreter process per job.

This first version relies on rlimits, a process group of its own, a network namespace without
interfaces (when root), a scratch folder and a clean environment. A hardened sandbox (pre-forked
zygote, seccomp, Landlock) can replace this module behind the same `run()`.
"""

import asyncio
import contextlib
import ctypes
import functools
import json
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import msgspec

from events import Limits, TestStyle
from services.grader import results
from services.grader.results import Limit, RunResult

HARNESS = Path(__file__).with_name("harness.py")
# the interpreter itself, not a venv or pyenv shim: the student's code sees the stdlib only
INTERPRETER = os.path.realpath(sys.executable)
RESULT_BYTES = 4 * 2**20
OPEN_FILES = 64
PIPES_GRACE_S = 2.0  # after the process ended, how long a left-over child may hold its pipes
CLONE_NEWNET = 0x40000000


class SandboxJob(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    tests: str
    test_style: TestStyle
    entry_point: str | None = None
    limits: Limits = msgspec.field(default_factory=Limits)


async def run(job: SandboxJob) -> RunResult:
    started = time.monotonic()
    scratch = await asyncio.to_thread(_prepare, job)
    try:
        result = await _run_in(scratch, job)
    except (OSError, subprocess.SubprocessError) as exc:
        result = RunResult(limits=job.limits, fault=f"the sandbox could not start: {exc}")
    finally:
        await asyncio.to_thread(shutil.rmtree, scratch, True)
    result.runtime_ms = round((time.monotonic() - started) * 1000)
    return result


def _prepare(job: SandboxJob) -> str:
    scratch = tempfile.mkdtemp(prefix="grader-")
    Path(scratch, "solution.py").write_text(job.code, encoding="utf-8")
    Path(scratch, "test_solution.py").write_text(job.tests, encoding="utf-8")
    return scratch


async def _run_in(scratch: str, job: SandboxJob) -> RunResult:
    result_pipe, write_fd = _pipe()
    with result_pipe:
        try:
            proc = await _spawn(scratch, job, write_fd)
        finally:
            os.close(write_fd)  # only the child writes: EOF once it is gone
        outcome = await _supervise(proc, result_pipe, job.limits)
    return _result(outcome, job.limits)


def _pipe() -> tuple[BinaryIO, int]:
    """The harness reports on the write end; it is its own channel, apart from stdout."""
    read_fd, write_fd = os.pipe()
    return open(read_fd, "rb", buffering=0), write_fd


async def _spawn(scratch: str, job: SandboxJob, result_fd: int) -> asyncio.subprocess.Process:
    config = {
        "scratch": scratch,
        "style": job.test_style,
        "entry_point": job.entry_point,
        "result_fd": result_fd,
        "output_bytes": job.limits.output_kb * 1024,
        "cpu_s": _cpu_s(job.limits),
    }
    return await asyncio.create_subprocess_exec(
        *(INTERPRETER, "-I", "-S", "-B", str(HARNESS), json.dumps(config)),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=scratch,
        env=_environment(scratch),
        pass_fds=(result_fd,),
        start_new_session=True,
        preexec_fn=_confine(job.limits),
    )


def _environment(scratch: str) -> dict[str, str]:
    """Nothing of the grader's own environment (secrets, server addresses) reaches the job."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": scratch,
        "TMPDIR": scratch,
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def _cpu_s(limits: Limits) -> int:
    return math.ceil(limits.cpu_ms / 1000)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL("libc.so.6", use_errno=True)


def _confine(limits: Limits) -> Callable[[], None]:
    """The child's preexec_fn; everything it needs is prepared here, in the parent."""
    unshare = _libc().unshare if os.geteuid() == 0 else None
    cpu_s, memory = _cpu_s(limits), limits.memory_mb * 2**20
    file_size = results.FILE_SIZE_MB * 2**20
    rlimits = [
        (resource.RLIMIT_CPU, (cpu_s, cpu_s + 1)),  # SIGXCPU first, SIGKILL a second later
        (resource.RLIMIT_AS, (memory, memory)),
        (resource.RLIMIT_FSIZE, (file_size, file_size)),
        (resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES)),
        (resource.RLIMIT_CORE, (0, 0)),
    ]

    def confine() -> None:
        for which, values in rlimits:
            resource.setrlimit(which, values)
        if unshare is not None and unshare(CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET) failed")

    return confine


class _Outcome(msgspec.Struct, kw_only=True):
    returncode: int = 0
    killed_for: Limit | None = None
    stray: bytearray = msgspec.field(default_factory=bytearray)  # stdout and stderr
    report: bytearray = msgspec.field(default_factory=bytearray)  # the harness's records

    def kill(self, pid: int, reason: Limit | None) -> None:
        self.killed_for = self.killed_for or reason
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


async def _supervise(
    proc: asyncio.subprocess.Process, result_pipe: object, limits: Limits
) -> _Outcome:
    """Wait for the run within the wall-clock limit, reading every pipe with a cap."""
    outcome = _Outcome()
    report = asyncio.StreamReader()
    transport, _ = await asyncio.get_running_loop().connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(report), result_pipe
    )
    cap = limits.output_kb * 1024
    readers = [
        asyncio.create_task(_drain(proc.stdout, outcome.stray, cap, outcome, proc.pid, "output")),
        asyncio.create_task(_drain(proc.stderr, outcome.stray, cap, outcome, proc.pid, "output")),
        asyncio.create_task(_drain(report, outcome.report, RESULT_BYTES, outcome, proc.pid, None)),
    ]
    try:
        async with asyncio.timeout(limits.wall_ms / 1000):
            await proc.wait()
    except TimeoutError:
        outcome.kill(proc.pid, "wall")
    finally:
        outcome.kill(proc.pid, None)  # what is left of the group: children, forks
        outcome.returncode = await proc.wait()
        await asyncio.wait(readers, timeout=PIPES_GRACE_S)
        for reader in readers:
            reader.cancel()
        transport.close()
    return outcome


async def _drain(
    stream: asyncio.StreamReader | None,
    into: bytearray,
    cap: int,
    outcome: _Outcome,
    pid: int,
    reason: Limit | None,
) -> None:
    """Read until EOF; past `cap` bytes (shared by the streams writing `into`), kill the run."""
    while stream is not None and (chunk := await stream.read(65_536)):
        room = max(cap - len(into), 0)
        into += chunk[:room]
        if len(chunk) > room:
            outcome.kill(pid, reason)
            return


def _result(outcome: _Outcome, limits: Limits) -> RunResult:
    result = results.fold(results.parse_records(bytes(outcome.report).splitlines()), limits)
    stray = outcome.stray.decode("utf-8", "replace")
    result.output += stray
    result.limit = outcome.killed_for or _signal_limit(outcome.returncode) or result.limit
    if not result.finished and result.limit is None:
        result.limit = "memory" if "MemoryError" in stray else None
        result.exit_status = _describe(outcome.returncode)
    return result


def _signal_limit(returncode: int) -> Limit | None:
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # SIGKILL: the hard CPU limit
        return "cpu"
    return "file" if returncode == -signal.SIGXFSZ else None


def _describe(returncode: int) -> str:
    if returncode >= 0:
        return f"exit status {returncode}"
    try:
        return f"killed by {signal.Signals(-returncode).name}"
    except ValueError:
        return f"killed by signal {-returncode}"
