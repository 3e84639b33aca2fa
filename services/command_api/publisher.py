"""EventPublisher: the command API's one way to append an event."""

import logging

from nats.js import JetStreamContext

from common import nats as gnats
from events import Event

log = logging.getLogger(__name__)


class EventPublisher:
    def __init__(self, js: JetStreamContext) -> None:
        self.js = js

    async def append(
        self,
        subject: str,
        event: Event,
        *,
        msg_id: str,
        expected_seq: int,
        expected_subject: str | None = None,
    ) -> int:
        """Append `event` if `expected_subject` (default `subject`) still ends at `expected_seq`."""
        seq = await gnats.append(
            self.js,
            subject,
            event,
            msg_id=msg_id,
            expected_seq=expected_seq,
            expected_subject=expected_subject,
        )
        log.info("appended %s on %s at seq %d", type(event).__name__, subject, seq)
        return seq
