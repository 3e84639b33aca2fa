"""Reading whole streams back in one pass, for tests that check thousands of events."""

from typing import NamedTuple

from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from events import Event, codec, subjects

READ_TIMEOUT_S = 10.0


class Stored(NamedTuple):
    subject: str
    seq: int
    data: bytes
    headers: dict[str, str]


async def stored(js: JetStreamContext, stream: str, filter_subject: str) -> list[Stored]:
    """Every message of `stream` on `filter_subject`, in stream order."""
    info = await js.stream_info(stream)
    if info.state.messages == 0:
        return []
    sub = await js.subscribe(
        filter_subject, stream=stream, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
    )
    found: list[Stored] = []
    try:
        while True:
            try:
                msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
            except TimeoutError:
                return found  # the filter matched nothing
            found.append(
                Stored(msg.subject, msg.metadata.sequence.stream, msg.data, dict(msg.headers or {}))
            )
            if msg.metadata.num_pending == 0:
                return found
    finally:
        await sub.unsubscribe()


async def submission_histories(js: JetStreamContext) -> dict[str, list[Event]]:
    """Every submission subject's events, in stream order."""
    histories: dict[str, list[Event]] = {}
    for message in await stored(js, subjects.EVENTS_STREAM, subjects.SUBMISSIONS_FILTER):
        event = codec.decode(message.data, message.headers)
        histories.setdefault(message.subject, []).append(event)
    return histories


async def dead_letters(js: JetStreamContext) -> list[Stored]:
    return await stored(js, subjects.DEAD_LETTER_STREAM, f"{subjects.DEAD_LETTER_SUBJECT}.>")


async def last_seq(js: JetStreamContext) -> int:
    return int((await js.stream_info(subjects.EVENTS_STREAM)).state.last_seq)
