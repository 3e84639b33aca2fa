"""Reading stored events in stream order, in bulk: an ordered push consumer (flow-controlled,
so the server streams batches) over a range, ending at what the stream holds when it starts."""

import asyncio
import collections
import contextlib
from collections.abc import AsyncGenerator

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from events import subjects

READ_TIMEOUT_S = 10.0  # a stored message the server does not send within this is an outage
# messages the library may queue: no count limit (a full queue drops messages, and a read
# that lost its last ones stalls); flow control and the byte limit bound the queue
PENDING_LIMIT = 0
BUFFER_LIMIT = 8192  # messages handed over and not yet read


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
    buffer: collections.deque[Msg] = collections.deque()
    arrived, room = asyncio.Event(), asyncio.Event()

    async def take(msg: Msg) -> None:  # a callback: next_msg costs a task per message
        buffer.append(msg)
        arrived.set()
        while len(buffer) >= BUFFER_LIMIT:
            room.clear()
            await room.wait()

    config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=seq)
    sub = await js.subscribe(
        filter_subject,
        stream=stream,
        cb=take,
        ordered_consumer=True,
        config=config,
        pending_msgs_limit=PENDING_LIMIT,
        pending_bytes_limit=256 * 1024 * 1024,
    )
    done = seq - 1
    try:
        while True:
            if not buffer:
                arrived.clear()
                await asyncio.wait_for(arrived.wait(), READ_TIMEOUT_S)
                continue
            msg = buffer.popleft()
            room.set()
            meta = msg.metadata
            if meta.sequence.stream <= done:
                continue  # an ordered-consumer reset sends some again
            done = meta.sequence.stream
            yield msg
            if meta.num_pending == 0:
                return
    finally:
        await sub.unsubscribe()
