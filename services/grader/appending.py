"""Appending a job's events after a message the grader holds, without reading the subject.

common/nats.append reads the subject's last message (the leader's) to chain the new event's
hash to it. The grader mostly holds that message already: the job event it was delivered, then
the GradingStarted it appended. Its hash and sequence are enough: the expected-sequence check
makes JetStream refuse the append unless that message is still the subject's last, so the
chain is right whenever the append goes through.
"""

import asyncio

from nats.js import JetStreamContext
from nats.js.errors import APIError

from common import nats as gnats
from events import Event, codec, integrity

ACK_TIMEOUT_S = 5.0


# the message an append goes right after: its stream sequence, and its hash when the grader
# holds it (None: read from the subject)
After = tuple[int, str | None]


async def append(
    js: JetStreamContext, subject: str, event: Event, *, msg_id: str, after: After
) -> After | None:
    """Append `event` right after the message `after`; the new event's (sequence, hash).

    gnats.ConcurrencyError when the subject moved on. None when the hash was given and
    JetStream took the msg_id for a duplicate: an earlier append of this event went through,
    and its hash is not known here.
    """
    seq, prev = after
    if prev is None:
        return await gnats.append(js, subject, event, msg_id=msg_id, expected_seq=seq), None
    data, headers = codec.encode(event)
    headers["Nats-Msg-Id"] = msg_id
    integrity.chain(prev, subject, headers, data)
    headers["Nats-Expected-Last-Subject-Sequence"] = str(seq)
    try:
        ack = await js.publish(subject, data, headers=headers, timeout=ACK_TIMEOUT_S)
    except APIError as exc:
        if gnats.lost_race(exc):
            await asyncio.sleep(gnats.RACE_PAUSE_S)  # as gnats.append: let one in flight settle
            raise gnats.ConcurrencyError(subject) from exc
        raise
    if ack.duplicate:
        return None
    return int(ack.seq), headers[integrity.HASH_HEADER]
