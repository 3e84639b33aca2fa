"""Pure: whether a student has a submission still waiting for its verdict (the 409 rule)."""

from events import (
    Event,
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
)


def is_pending(last: Event | None) -> bool:
    """Does a submission whose last event this is still wait for the verdict its student
    submitted it for? A submission deleted while waiting still does, until its grader appends
    the verdict. A re-grade is the operators' and never holds the student up: its request,
    its grading (attempt > 1) and its cancellation leave no submission waiting."""
    if isinstance(last, SubmissionCreated):
        return last.reused is None
    if isinstance(last, SubmissionDeleted):
        return last.pending
    return isinstance(last, SubmissionGradingStarted) and last.attempt == 1


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
