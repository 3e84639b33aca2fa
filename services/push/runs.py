"""A student's ungraded run on /ws when it finishes: `{"type": "run.finished", "run": {...}}`.

Only the finish is sent, and never replayed: a page that was away reads `GET /api/runs/{id}`.
The message carries no stream sequence, so it never moves where a client resumes its
submissions' messages from (`?after=`).
"""

from typing import Literal

import msgspec
from nats.js import JetStreamContext

from common import nats as gnats
from common import shapes
from events import RunFinished, runfold
from services.push.states import readable

FINISHED = "RunFinished"  # the one run event a client is sent (its Event-Type)


class RunMessage(msgspec.Struct, frozen=True):
    type: Literal["run.finished"]
    run: shapes.Run


_encoder = msgspec.json.Encoder()


def to_json(message: RunMessage) -> str:
    return _encoder.encode(message).decode()


async def finished(
    js: JetStreamContext, seq: int, subject: str, event: RunFinished
) -> RunMessage | None:
    """The message of a run finishing at `seq`, its earlier events (the request, its time)
    read from its subject; None when the finish changes nothing (a repeated one)."""
    state = None
    async for raw in gnats.subject_messages(js, subject, before=seq):
        at = int(raw.seq or 0)
        earlier = await readable(js, at, raw.subject or subject, raw.data, raw.headers)
        if earlier is not None:
            state = runfold.step(state, earlier, at)
    state = runfold.step(state, event, seq)
    if state is None or state.last_seq != seq:
        return None
    return RunMessage("run.finished", shapes.run(state))
