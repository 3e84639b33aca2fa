"""Messages no consumer can read, as someone writing straight to the stream could publish them."""

from typing import NamedTuple

from nats.js import JetStreamContext

from events import Event, codec

KINDS = ("malformed", "unknown type", "missing fields", "newer version", "as large as allowed")
LARGE_BYTES = 1024 * 1024 - 1024  # fits the default max payload; its record with its body would not


class Poison(NamedTuple):
    kind: str
    data: bytes
    headers: dict[str, str]
    reason: str  # a part of the reason a consumer gives when it sets it aside


def kinds(like: Event) -> list[Poison]:
    """Malformed, unknown-type, missing-fields, newer-version and very large versions of
    `like`."""
    data, headers = codec.encode(like)
    name = headers[codec.TYPE_HEADER]
    return [
        Poison("malformed", b'{"garbage": tru', headers, "is malformed"),
        Poison(
            "unknown type",
            b"{}",
            {**headers, codec.TYPE_HEADER: "SubmissionTeleported"},
            "unknown event type 'SubmissionTeleported'",
        ),
        Poison("missing fields", b'{"attempt": 1}', headers, "missing required field"),
        Poison(
            "newer version",
            data,
            {**headers, codec.VERSION_HEADER: "99"},
            f"{name} v99 is newer than this code",
        ),
        Poison("as large as allowed", b'{"' + b"x" * LARGE_BYTES, headers, "is malformed"),
    ]


async def publish(js: JetStreamContext, subject: str, like: Event) -> list[tuple[int, Poison]]:
    """Publish every kind on `subject`; (stream seq, poison) of each."""
    return [((await js.publish(subject, p.data, headers=p.headers)).seq, p) for p in kinds(like)]
