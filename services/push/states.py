"""Submission states folded from events: an in-memory LRU, rebuilt from the stream on a miss."""

import logging
from collections import OrderedDict
from collections.abc import Mapping

from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from events import Event, SubmissionCreated, codec, subjects
from services.push import view
from services.push.view import Message, SubmissionState

log = logging.getLogger(__name__)


def decode(data: bytes | None, headers: Mapping[str, str] | None) -> Event | None:
    """The event, or None for a type this code does not know (a newer version still raises)."""
    try:
        return codec.decode(data or b"", headers)
    except codec.UnknownEventType as exc:
        log.warning("skipping an event of unknown type %r", str(exc))
        return None


async def fold_subject(js: JetStreamContext, subject: str, before: int) -> SubmissionState | None:
    """Fold one submission's events with a sequence below `before`, walking the subject."""
    state: SubmissionState | None = None
    seq = 1
    while seq < before:
        try:
            raw = await js.get_msg(
                subjects.EVENTS_STREAM, seq=seq, subject=subject, next=True, direct=True
            )
        except NotFoundError:
            break
        if raw.seq is None or raw.seq >= before:
            break
        event = decode(raw.data, raw.headers)
        if event is not None:
            state, _ = view.apply(state, event, raw.seq)
        seq = raw.seq + 1
    return state


class SubmissionStates:
    """State per submission subject; a miss folds the subject's earlier events from the stream."""

    def __init__(self, js: JetStreamContext, capacity: int) -> None:
        self._js = js
        self._capacity = capacity
        self._entries: OrderedDict[str, SubmissionState] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def apply(self, subject: str, seq: int, event: Event) -> list[Message]:
        """Fold one event of `subject` (given in stream order) into the messages it gives."""
        state = self._entries.pop(subject, None)
        if state is None and not isinstance(event, SubmissionCreated):
            state = await fold_subject(self._js, subject, before=seq)
        if state is not None and state.view.last_seq >= seq:
            self._keep(subject, state)
            return []  # already folded in (delivered again)
        state, messages = view.apply(state, event, seq)
        if state is not None:
            self._keep(subject, state)
        return messages

    def forget(self, subject: str) -> None:
        """Drop a state that will miss events: the next one rebuilds it from the stream."""
        self._entries.pop(subject, None)

    def _keep(self, subject: str, state: SubmissionState) -> None:
        self._entries[subject] = state
        if len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
