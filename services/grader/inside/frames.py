"""Frames between the sandbox's processes: a 4-byte big-endian length and that many bytes of
JSON (what a value becomes is values.py's). Standard library only."""

import codecs
import json
import os
import socket
import struct
from typing import Any

HEADER = struct.Struct(">I")
FRAME_BYTES = 16 * 2**20  # the largest frame a reader accepts

# The error handler for text leaving the sandbox as UTF-8: what UTF-8 cannot carry (a lone
# surrogate, "\ud800") becomes U+FFFD, one per character, as undecodable bytes do on the way in.
FFFD = "grindstone-fffd"
codecs.register_error(FFFD, lambda e: ("\ufffd".encode() * (e.end - e.start), e.end))  # type: ignore[attr-defined]


class WireError(Exception):
    """A frame or value that breaks the format (or the peer went away mid-frame)."""


def frame(message: Any) -> bytes:
    data = json.dumps(message, separators=(",", ":"), allow_nan=True).encode()  # \ud800 kept
    return HEADER.pack(len(data)) + data


def send(sock: socket.socket, message: Any) -> None:
    sock.sendall(frame(message))


def recv_exactly(sock: socket.socket, size: int) -> bytes:
    """Exactly `size` bytes, never more: what follows stays in the kernel's buffer."""
    parts, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the peer closed the connection")
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def recv(sock: socket.socket, limit: int = FRAME_BYTES) -> Any:
    (size,) = HEADER.unpack(recv_exactly(sock, HEADER.size))
    if size > limit:
        raise WireError(f"a frame of {size} bytes is over the limit of {limit}")
    return parse(recv_exactly(sock, size))


def parse(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not a frame: {exc}") from None


class Frames:
    """Splits a byte stream read in pieces (by a select loop) into frames."""

    def __init__(self, limit: int = FRAME_BYTES) -> None:
        self.buffer, self.limit = bytearray(), limit

    def feed(self, data: bytes) -> list[Any]:
        self.buffer += data
        messages = []
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if size > self.limit:
                raise WireError(f"a frame of {size} bytes is over the limit of {self.limit}")
            if len(self.buffer) < HEADER.size + size:
                break
            messages.append(parse(bytes(self.buffer[HEADER.size : HEADER.size + size])))
            del self.buffer[: HEADER.size + size]
        return messages


def write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]
