"""Moving bytes between the judge and a confined child: the job's wall clock, the output it
may write (capped), the select loop that feeds stdin and collects output and frames."""

import contextlib
import os
import selectors
import signal
import socket
import time
from builtins import len, max  # noqa: UP029 - bound now: tests may patch builtins
from collections.abc import Iterator
from typing import Any

import frames

KEEP_CHARS = 4096  # output kept per test; the grader caps every text again


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
    frames: frames.Frames | None = None,
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
    """What the pipes hold now; they are non-blocking (a module child's: remote.py)."""
    for fd, into in reads.items():
        try:
            while data := os.read(fd, 65536):
                if not output.add(into, data):
                    raise OverflowError
        except BlockingIOError:
            pass
