"""EventPublisher: the command API's one way to append an event."""

import logging

import valkey.exceptions
from nats.js import JetStreamContext
from valkey.asyncio import Valkey

from common import nats as gnats
from common import written
from events import Event

log = logging.getLogger(__name__)


class EventPublisher:
    def __init__(self, js: JetStreamContext, marks: Valkey | None = None) -> None:
        self.js = js
        self.marks = marks  # where each student's latest write is noted (common/written.py)

    async def append(
        self,
        subject: str,
        event: Event,
        *,
        msg_id: str,
        expected_seq: int,
        expected_subject: str | None = None,
        new_subject: bool = False,
    ) -> int:
        """Append `event` if `expected_subject` (default `subject`) still ends at `expected_seq`;
        `new_subject`: the subject's id was just made, nothing to chain to (common.nats)."""
        seq = await gnats.append(
            self.js,
            subject,
            event,
            msg_id=msg_id,
            expected_seq=expected_seq,
            expected_subject=expected_subject,
            new_subject=new_subject,
        )
        log.info("appended %s on %s at seq %d", type(event).__name__, subject, seq)
        await self._note(event, seq)
        return seq

    async def _note(self, event: Event, seq: int) -> None:
        """The student's next read waits for this write, whatever client they use."""
        user_id = getattr(event, "user_id", None)
        if self.marks is None or user_id is None:
            return
        try:
            await written.raise_to(self.marks, user_id, seq)
        except (valkey.exceptions.ConnectionError, valkey.exceptions.TimeoutError) as exc:
            log.warning("could not note write %d of %s: %s", seq, user_id, exc)  # appended anyway
