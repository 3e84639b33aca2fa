"""Frames and plain values between the sandbox's processes. Standard library only.

A frame is a 4-byte big-endian length and that many bytes of JSON. Values cross as plain data
only (None, bool, int, float, complex, str, bytes, list, tuple, dict, set, frozenset), rebuilt
by the reader from the JSON: whatever a sandboxed process sends, the judge gets its own
objects of builtin types, never one whose `__eq__` or `__bool__` the student's code wrote.
"""

import base64
import codecs
import json
import os
import socket
import struct
from collections.abc import Callable
from typing import Any

HEADER = struct.Struct(">I")
FRAME_BYTES = 16 * 2**20  # the largest frame a reader accepts
PLAIN = (type(None), bool, int, float, str)

# The error handler for text leaving the sandbox as UTF-8: what UTF-8 cannot carry (a lone
# surrogate, "\ud800") becomes U+FFFD, one per character, as undecodable bytes do on the way in.
FFFD = "grindstone-fffd"
codecs.register_error(FFFD, lambda e: ("\ufffd".encode() * (e.end - e.start), e.end))  # type: ignore[attr-defined]


class WireError(Exception):
    """A frame or value that breaks the format (or the peer went away mid-frame)."""


def frame(message: Any) -> bytes:
    data = json.dumps(message, separators=(",", ":"), allow_nan=True).encode()
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


# Plain values. JSON arrays are lists; every other container is a one-key object.


class NotPlain(Exception):
    """A value outside the plain types; the sender keeps it and sends a handle instead."""


def encode(value: Any, ref: Callable[[Any], Any] | None = None, depth: int = 0) -> Any:
    """JSON for a plain value. `ref(value)` names anything else by a handle the other side
    knows ({"ref": n}: one of its own; {"lent": n}: one of ours), or None: NotPlain."""
    if depth > 100:
        raise NotPlain("nested too deeply")
    kind = type(value)
    if kind in PLAIN:
        if kind is int and value.bit_length() > 4000:
            return {"int": hex(value)}
        return value
    inner = depth + 1
    if kind is list:
        return [encode(item, ref, inner) for item in value]
    if kind is tuple:
        return {"tuple": [encode(item, ref, inner) for item in value]}
    if kind is dict:
        return {"dict": [[encode(k, ref, inner), encode(v, ref, inner)] for k, v in value.items()]}
    if kind is set:
        return {"set": [encode(item, ref, inner) for item in value]}
    if kind is frozenset:
        return {"frozenset": [encode(item, ref, inner) for item in value]}
    if kind is bytes:
        return {"bytes": base64.b64encode(value).decode()}
    if kind is complex:
        return {"complex": [value.real, value.imag]}
    if kind is slice:
        parts = (value.start, value.stop, value.step)
        return {"slice": [encode(part, None, inner) for part in parts]}
    handle = ref(value) if ref is not None else None
    if handle is None:
        raise NotPlain(kind.__name__)
    return handle


Resolve = Callable[[str, int], Any]  # ("ref" | "lent", n) -> the object that handle names


def _no_handles(tag: str, number: int) -> Any:
    raise ValueError(f"no {tag} handles here")


def decode(data: Any, resolve: Resolve = _no_handles) -> Any:
    """The reader's own objects; anything malformed raises WireError. `resolve` gives the
    object a handle ({"ref": n} or {"lent": n}) names."""
    try:
        return _decode(data, resolve)
    except (TypeError, ValueError, KeyError, RecursionError, AttributeError) as exc:
        raise WireError(f"not a plain value: {type(exc).__name__}: {exc}") from None


def _decode(data: Any, refs: Resolve) -> Any:
    if type(data) in PLAIN:
        return data
    if type(data) is list:
        return [_decode(item, refs) for item in data]
    if type(data) is not dict or len(data) != 1:
        raise ValueError("unknown value")
    ((tag, body),) = data.items()
    match tag:
        case "int":
            return int(body, 16)
        case "tuple":
            return tuple(_decode(item, refs) for item in body)
        case "dict":
            return {_decode(k, refs): _decode(v, refs) for k, v in body}
        case "set":
            return {_decode(item, refs) for item in body}
        case "frozenset":
            return frozenset(_decode(item, refs) for item in body)
        case "ref" | "lent":
            return refs(tag, int(body))
        case "slice":
            start, stop, step = (_decode(part, refs) for part in body)
            return slice(start, stop, step)
        case "bytes":
            return base64.b64decode(body, validate=True)
        case "complex":
            return complex(float(body[0]), float(body[1]))
    raise ValueError(f"unknown tag {tag!r}")
