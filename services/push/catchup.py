"""Catch-up: a student's submission messages since a stream sequence, read from the stream."""

from collections.abc import Awaitable, Callable
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from common import nats as gnats
from events import subjects
from services.push.states import SubmissionStates, readable
from services.push.view import Message

IDLE_TIMEOUT_S = 5.0  # the replay consumer is expected to deliver well within this


async def last_seq(js: JetStreamContext, user_id: str) -> int:
    """The sequence of the student's latest submission event, or 0 when there is none."""
    last = await gnats.last_message(js, subjects.student_submissions(UUID(user_id)))
    return int(last.seq or 0) if last is not None else 0


async def replay(
    js: JetStreamContext,
    user_id: str,
    after: int,
    until: int,
    send: Callable[[Message], Awaitable[None]],
    cache_size: int,
) -> None:
    """Send the messages of every event of the student with after < seq <= until, in order."""
    if until <= after:
        return
    sub = await js.subscribe(
        subjects.student_submissions(UUID(user_id)),
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
        config=ConsumerConfig(opt_start_seq=after + 1),
    )
    states = SubmissionStates(js, cache_size)
    try:
        seq = after
        while seq < until:
            msg = await sub.next_msg(timeout=IDLE_TIMEOUT_S)
            seq = msg.metadata.sequence.stream
            if seq > until:
                continue
            event = await readable(js, seq, msg.subject, msg.data, msg.headers)
            if event is None:
                continue
            for message in await states.apply(msg.subject, seq, event):
                await send(message)
    finally:
        await sub.unsubscribe()
