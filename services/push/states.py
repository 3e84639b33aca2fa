"""Submission states folded from events: an in-memory LRU, rebuilt from the stream on a miss."""

import logging
from collections import OrderedDict
from collections.abc import Mapping

import nats.errors
from nats.js import JetStreamContext

from common import nats as gnats
from common import setaside
from events import Event, SubmissionCreated, codec
from services.push import view
from services.push.view import Message, SubmissionState

log = logging.getLogger(__name__)

CONSUMER = "push"  # its name on the SET_ASIDE stream


async def readable(
    js: JetStreamContext,
    seq: int,
    subject: str,
    data: bytes | None,
    headers: Mapping[str, str] | None,
) -> Event | None:
    """The event, or None when this code cannot read it: then it is set aside, recorded and
    logged once (by whichever replica, live fan-out or replay meets it first), and skipped."""
    try:
        return codec.decode(data or b"", headers)
    except codec.Unreadable as exc:
        why = str(exc)
    try:
        await setaside.record(js, CONSUMER, seq, why, (subject, data or b"", headers))
    except (nats.errors.Error, TimeoutError):
        log.warning("could not record event %d as set aside: %s", seq, why)
    return None


async def fold_subject(js: JetStreamContext, subject: str, before: int) -> SubmissionState | None:
    """Fold one submission's events with a sequence below `before`, walking the subject."""
    state: SubmissionState | None = None
    async for raw in gnats.subject_messages(js, subject, before=before):
        seq = int(raw.seq or 0)
        event = await readable(js, seq, raw.subject or subject, raw.data, raw.headers)
        if event is not None:
            state, _ = view.apply(state, event, seq)
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
