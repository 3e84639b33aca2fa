"""The grader's protocol, pure: what a job does when its event is no longer the subject's last."""

from typing import Literal

import msgspec

from events import (
    Event,
    SubmissionCreated,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
)

Step = Literal["start", "finish", "done"]


class Job(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    seq: int  # the job event's stream sequence
    created: SubmissionCreated
    attempt: int
    deleted: bool = False  # the student deleted it while it waited: its verdict says so
    assignment_sha256: str | None = None  # the version a regrade asks for

    @property
    def version(self) -> str:
        """The assignment version to grade against: the regrade's, else the submission's."""
        return self.assignment_sha256 or self.created.assignment_sha256


def after_deletion(job: Job, since: list[Event | None]) -> Step:
    """The job's submission was deleted while waiting: grade it unless that is done or a newer
    attempt took over; finish a grading already started."""
    for event in since:
        match event:
            case SubmissionGraded(attempt=attempt) if attempt == job.attempt:
                return "done"
            case SubmissionRegradeRequested(attempt=attempt) if attempt > job.attempt:
                return "done"
    started = any(
        isinstance(e, SubmissionGradingStarted) and e.attempt == job.attempt for e in since
    )
    return "finish" if started else "start"


def next_step(job: Job, last: Event | None) -> Step:
    """The job event is no longer last: finish a started grading of this attempt, or nothing."""
    if isinstance(last, SubmissionGradingStarted) and last.attempt == job.attempt:
        return "finish"
    return "done"
