"""One run's events -> its state: the one model of an ungraded run (projector, push, replay).

Pure: no I/O. `RunRequested` starts it, `pending`; `RunStarted` makes a pending run `running`;
`RunFinished` gives it its output, `finished`, whatever came before. A finished run never
changes again (a late or repeated start or finish is ignored), and an event at or below the
sequence already folded is a redelivery: ignored. `last_seq` is the last event that changed it.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from events.base import Event
from events.runs import RunFinished, RunOutput, RunRequested, RunStarted

RunStatus = Literal["pending", "running", "finished"]


class RunState(msgspec.Struct, frozen=True, kw_only=True):
    run_id: UUID
    user_id: UUID
    assignment_id: UUID
    status: RunStatus
    output: RunOutput | None  # once finished
    created_at: datetime
    last_seq: int


def requested(event: RunRequested, seq: int) -> RunState:
    return RunState(
        run_id=event.run_id,
        user_id=event.user_id,
        assignment_id=event.assignment_id,
        status="pending",
        output=None,
        created_at=event.occurred_at,
        last_seq=seq,
    )


def step(state: RunState | None, event: Event, seq: int) -> RunState | None:
    """The state after one more event, at stream sequence `seq`."""
    if state is None:
        return requested(event, seq) if isinstance(event, RunRequested) else None
    if seq <= state.last_seq or getattr(event, "run_id", None) != state.run_id:
        return state
    match event:
        case RunStarted() if state.status == "pending":
            return msgspec.structs.replace(state, status="running", last_seq=seq)
        case RunFinished(output=output) if state.status != "finished":
            return msgspec.structs.replace(state, status="finished", output=output, last_seq=seq)
    return state


def fold(events: Iterable[tuple[int, Event]], state: RunState | None = None) -> RunState | None:
    """Fold (stream sequence, event) pairs, in stream order, onto `state`."""
    for seq, event in events:
        state = step(state, event, seq)
    return state
