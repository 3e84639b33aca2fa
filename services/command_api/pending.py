"""Pure: which of a student's submissions the 409 rule (events/fold.py's `waiting`) must look at.

A re-grade is the operators' and never holds the student up: `waiting` is about a student's own
submission awaiting its first verdict."""

from events import (
    Event,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
)


def tells_pending(last: Event | None) -> bool:
    """Does the student's last event alone say whether one of their submissions waits? Their
    own submissions come one at a time, so it does when it is about their newest submission's
    first grading; a re-grade's events, or deleting an older submission, come in between."""
    match last:
        case None | SubmissionCreated() | SubmissionDeleted(pending=True):
            return True
        case SubmissionGradingStarted(attempt=attempt) | SubmissionGraded(attempt=attempt):
            return attempt == 1
    return False
