"""The contract between services: event types, their wire format, subjects and streams."""

from events.assignments import AssignmentPublished, Limits, TestStyle
from events.base import Event
from events.registry import EVENT_TYPES, WIRE_NAMES
from events.runs import RunFinished, RunOutput, RunRequested, RunStarted
from events.submissions import (
    CaseFeedback,
    CodeError,
    Feedback,
    Outcome,
    ReusedVerdict,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeCancelled,
    SubmissionRegradeRequested,
    Verdict,
)

__all__ = [
    "EVENT_TYPES",
    "WIRE_NAMES",
    "AssignmentPublished",
    "CaseFeedback",
    "CodeError",
    "Event",
    "Feedback",
    "Limits",
    "Outcome",
    "ReusedVerdict",
    "RunFinished",
    "RunOutput",
    "RunRequested",
    "RunStarted",
    "SubmissionCreated",
    "SubmissionDeleted",
    "SubmissionGraded",
    "SubmissionGradingStarted",
    "SubmissionRegradeCancelled",
    "SubmissionRegradeRequested",
    "TestStyle",
    "Verdict",
]
