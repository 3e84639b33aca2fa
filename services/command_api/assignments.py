"""The published assignments, kept in the process and followed on the stream.

Every submission and every run is decided against its assignment as last published; reading it
from the stream is a NATS request (and a decode of its tests) per command. One ordered consumer
per process instead delivers the last `AssignmentPublished` of each assignment, then each new
one as it is stored. A copy is used only once the first pass is complete; an assignment not
(yet) in it is read from the stream as before. A copy may trail the stream by the delivery's
few milliseconds: a command decided then is decided against the version its student saw.
"""

import asyncio
import logging
from uuid import UUID

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy

from common import nats as gnats
from events import AssignmentPublished, codec, subjects

log = logging.getLogger(__name__)


class Assignments:
    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.kept: dict[UUID, AssignmentPublished] = {}
        self.complete = False  # the first pass (the last publish of each) has arrived
        self._sub: JetStreamContext.PushSubscription | None = None

    async def start(self) -> None:
        self._sub = await self.js.subscribe(
            subjects.ASSIGNMENTS_FILTER,
            stream=subjects.EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
            cb=self._heard,
        )
        if (await self._sub.consumer_info()).num_pending == 0 and not self.kept:
            self.complete = True  # nothing published yet: every later publish is heard

    async def stop(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()

    async def _heard(self, msg: Msg) -> None:
        try:
            event = codec.decode(msg.data, msg.headers)
        except codec.Unreadable as exc:  # the consumers set it aside; the last good one stands
            log.warning("assignment event %s cannot be read: %s", msg.subject, exc)
            event = None
        if isinstance(event, AssignmentPublished):
            self.kept[event.assignment_id] = event
        if msg.metadata.num_pending == 0:
            self.complete = True

    async def published(self, assignment_id: UUID) -> AssignmentPublished | None:
        """The assignment as last published (None: never), from the copy when it has it."""
        kept = self.kept.get(assignment_id) if self.complete else None
        if kept is not None:
            return kept
        return await gnats.published(self.js, assignment_id)


async def started(js: JetStreamContext) -> Assignments:
    copies = Assignments(js)
    await asyncio.wait_for(copies.start(), 10.0)
    return copies
