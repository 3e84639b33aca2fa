"""Reading stored events in stream order, in bulk: an ordered push consumer (flow-controlled,
so the server streams batches) over a range, ending at what the stream holds when it starts."""

import contextlib
from collections.abc import AsyncGenerator

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from events import subjects

READ_TIMEOUT_S = 10.0  # a stored message the server does not send within this is an outage
PENDING_LIMIT = 65_536  # messages buffered client-side; the server holds the rest


async def first_seq(
    js: JetStreamContext, filter_subject: str, start: int, stream: str = subjects.EVENTS_STREAM
) -> int | None:
    """The sequence of the first stored message on `filter_subject` from `start` on."""
    with contextlib.suppress(NotFoundError):
        msg = await js.get_msg(stream, seq=start, subject=filter_subject, next=True, direct=True)
        return int(msg.seq or 0) or None
    return None


async def read(
    js: JetStreamContext,
    filter_subject: str = subjects.EVENTS_SUBJECTS[0],
    start: int = 1,
    *,
    stream: str = subjects.EVENTS_STREAM,
) -> AsyncGenerator[Msg, None]:
    """The messages on `filter_subject` from `start` on, in order, up to the last one stored
    when the read reaches it. Close it with `contextlib.aclosing` when leaving early."""
    seq = await first_seq(js, filter_subject, max(start, 1), stream)
    if seq is None:
        return
    config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=seq)
    sub = await js.subscribe(
        filter_subject,
        stream=stream,
        ordered_consumer=True,
        config=config,
        pending_msgs_limit=PENDING_LIMIT,
        pending_bytes_limit=256 * 1024 * 1024,
    )
    done = seq - 1
    try:
        while True:
            msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
            meta = msg.metadata
            if meta.sequence.stream <= done:
                continue  # an ordered-consumer reset sends some again
            done = meta.sequence.stream
            yield msg
            if meta.num_pending == 0:
                return
    finally:
        await sub.unsubscribe()
