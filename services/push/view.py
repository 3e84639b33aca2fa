"""Pure: one submission's events -> the shape clients see, and the messages each event gives.

The state is events/fold.py's (the rules of docs/design.md). A regrade request gives a
`submission.grading` message with status `pending` (grading was asked for again;
`submission.grading` with status `grading` follows when a grader picks it up). A created
submission that reused an earlier verdict gives `submission.created` then `submission.graded`,
both already carrying the final status.
"""

from typing import Literal

import msgspec

from common import shapes
from common.shapes import Submission
from events import (
    Event,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
    fold,
)

MessageType = Literal[
    "submission.created", "submission.grading", "submission.graded", "submission.deleted"
]


class SubmissionState(msgspec.Struct, frozen=True, kw_only=True):
    folded: fold.SubmissionState  # the one model of a submission (events/fold.py)

    @property
    def view(self) -> Submission:
        return shapes.submission(self.folded)

    @property
    def attempt(self) -> int:
        return self.folded.attempt

    @property
    def deleted(self) -> bool:
        return self.folded.deleted


class Message(msgspec.Struct, frozen=True, kw_only=True):
    type: MessageType
    submission: Submission
    seq: int  # the stream sequence of the event: resume with `/ws?after=<seq>`


Folded = tuple[SubmissionState | None, list[Message]]

_encoder = msgspec.json.Encoder()


def apply(state: SubmissionState | None, event: Event, seq: int) -> Folded:
    """The state after one event at stream sequence `seq`, and the messages it gives: one when
    the event changes what clients see (events.fold decides), of the event's kind."""
    before = state.folded if state else None
    after = fold.step(before, event, seq)
    if after is None:
        return None, []
    new = SubmissionState(folded=after)
    if before is not None and after.last_seq == before.last_seq:
        return new, []  # after deletion, a repeated creation, a stale attempt, a redelivery
    kinds = _KINDS.get(type(event), ())
    if isinstance(event, SubmissionCreated) and event.reused:
        kinds = ("submission.created", "submission.graded")
    return new, [Message(type=kind, submission=new.view, seq=seq) for kind in kinds]


def to_json(message: Message) -> str:
    return _encoder.encode(message).decode()


_KINDS: dict[type[Event], tuple[MessageType, ...]] = {
    SubmissionCreated: ("submission.created",),
    SubmissionGradingStarted: ("submission.grading",),
    SubmissionGraded: ("submission.graded",),
    SubmissionRegradeRequested: ("submission.grading",),
    SubmissionRegradeCancelled: ("submission.graded",),  # the verdict before it, again
    SubmissionDeleted: ("submission.deleted",),
}
