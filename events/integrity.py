"""Tamper evidence: the per-subject hash chain every event carries in its headers, and the
global running hash over the stream that signed checkpoints anchor (docs/design.md, "Tamper
evidence").

An event's hash is sha256 over, in order and separated by newlines: the previous hash on its
subject (GENESIS for the first), the subject, the Event-Type and Event-Version headers; then
the payload bytes as stored. None of the first four can hold a newline, so the encoding is
unambiguous.
"""

import hashlib
import hmac
from collections.abc import Mapping

import msgspec

from events.codec import TYPE_HEADER, VERSION_HEADER

PREV_HEADER = "Grindstone-Prev"
HASH_HEADER = "Grindstone-Hash"
GENESIS = "0" * 64  # the "previous hash" of a subject's first chained event


def event_hash(prev: str, subject: str, event_type: str, version: str, data: bytes) -> str:
    head = f"{prev}\n{subject}\n{event_type}\n{version}\n".encode()
    return hashlib.sha256(head + data).hexdigest()


def chain(prev: str, subject: str, headers: dict[str, str], data: bytes) -> None:
    """Add the integrity headers to an event's `headers` (Event-Type and -Version set)."""
    headers[PREV_HEADER] = prev
    headers[HASH_HEADER] = event_hash(
        prev, subject, headers[TYPE_HEADER], headers[VERSION_HEADER], data
    )


def claimed(headers: Mapping[str, str] | None) -> tuple[str, str] | None:
    """(prev, hash) as the message carries them, or None for an unchained message."""
    if not headers or HASH_HEADER not in headers or PREV_HEADER not in headers:
        return None
    return headers[PREV_HEADER], headers[HASH_HEADER]


def hash_of(headers: Mapping[str, str] | None) -> str:
    """The hash a following event on the same subject chains to: GENESIS after none or after
    an unchained message (one from before integrity existed)."""
    found = claimed(headers)
    return GENESIS if found is None else found[1]


def recomputes(subject: str, headers: Mapping[str, str] | None, data: bytes) -> bool:
    """The message's claimed hash is the hash of what it holds."""
    found = claimed(headers)
    if found is None or headers is None:
        return False
    prev, stated = found
    actual = event_hash(
        prev, subject, headers.get(TYPE_HEADER, ""), headers.get(VERSION_HEADER, ""), data
    )
    return hmac.compare_digest(actual, stated)


def fold(head: str, seq: int, subject: str, message_hash: str) -> str:
    """One step of the global running hash, in stream order; unchained messages fold in an
    empty hash."""
    return hashlib.sha256(f"{head}\n{seq}\n{subject}\n{message_hash}".encode()).hexdigest()


class Checkpoint(msgspec.Struct, frozen=True, kw_only=True):
    """The running hash over the EVENTS stream up to `stream_seq`, as signed at `at`."""

    stream_seq: int
    head: str
    at: str  # ISO 8601, UTC
    signature: str


def checkpoint_key(secret: str) -> bytes:
    """The checkpoint signing key, derived from the server secret (never the secret itself,
    so a leaked checkpoint key cannot sign session tokens)."""
    return hmac.new(secret.encode(), b"grindstone audit checkpoints", hashlib.sha256).digest()


def sign(key: bytes, stream_seq: int, head: str, at: str) -> Checkpoint:
    message = f"{stream_seq}\n{head}\n{at}".encode()
    signature = hmac.new(key, message, hashlib.sha256).hexdigest()
    return Checkpoint(stream_seq=stream_seq, head=head, at=at, signature=signature)


def signed(key: bytes, checkpoint: Checkpoint) -> bool:
    expected = sign(key, checkpoint.stream_seq, checkpoint.head, checkpoint.at).signature
    return hmac.compare_digest(expected, checkpoint.signature)
