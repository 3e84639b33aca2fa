"""The assignments in the EVENTS stream: their current state, and appending what changed."""

from datetime import datetime
from uuid import UUID

from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from common import nats as gnats
from events import AssignmentPublished, codec, subjects
from grindstone_cli import plan
from grindstone_cli.plan import Current, Step

READ_TIMEOUT_S = 10.0


class LoadError(Exception):
    """Loading stopped; the message says why and what to do."""


async def current(js: JetStreamContext) -> dict[UUID, Current]:
    """The last AssignmentPublished of every assignment subject, with its stream sequence."""
    info = await js.stream_info(subjects.EVENTS_STREAM, subjects_filter=subjects.ASSIGNMENTS_FILTER)
    if not info.state.subjects:
        return {}
    sub = await js.subscribe(
        subjects.ASSIGNMENTS_FILTER,
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
    )
    found: dict[UUID, Current] = {}
    try:
        while True:
            msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
            event = _decode(msg.subject, msg.data, msg.headers)
            if isinstance(event, AssignmentPublished):
                found[event.assignment_id] = Current(
                    seq=msg.metadata.sequence.stream,
                    position=event.position,
                    content_sha256=event.content_sha256,
                )
            if msg.metadata.num_pending == 0:
                return found
    finally:
        await sub.unsubscribe()


def _decode(subject: str, data: bytes, headers: dict[str, str] | None) -> object:
    try:
        return codec.decode(data, headers)
    except codec.Unreadable as exc:
        raise LoadError(
            f"{subject} holds an event this version of grindstone cannot read ({exc}); "
            "update grindstone before loading."
        ) from None


async def publish(js: JetStreamContext, steps: list[Step], now: datetime) -> None:
    """Append an AssignmentPublished for every new or changed step, expecting its last seq."""
    for step in steps:
        if step.status == "unchanged":
            continue
        try:
            await gnats.append(
                js,
                subjects.assignment(step.assignment_id),
                plan.event(step, now),
                msg_id=plan.msg_id(step),
                expected_seq=step.expected_seq,
            )
        except gnats.ConcurrencyError:
            raise LoadError(
                f"{step.record.source_id} (line {step.record.line}) changed while loading, "
                "probably by another load at the same time; run the command again."
            ) from None
