"""Wire name -> event class. Wire names are literals: never renamed, never reused."""

from events.assignments import AssignmentPublished
from events.base import Event
from events.runs import RunFinished, RunRequested, RunStarted
from events.submissions import (
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
)

EVENT_TYPES: dict[str, type[Event]] = {
    "AssignmentPublished": AssignmentPublished,
    "SubmissionCreated": SubmissionCreated,
    "SubmissionGradingStarted": SubmissionGradingStarted,
    "SubmissionGraded": SubmissionGraded,
    "SubmissionDeleted": SubmissionDeleted,
    "SubmissionRegradeRequested": SubmissionRegradeRequested,
    "SubmissionRegradeCancelled": SubmissionRegradeCancelled,
    "RunRequested": RunRequested,
    "RunStarted": RunStarted,
    "RunFinished": RunFinished,
}

WIRE_NAMES: dict[type[Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}
