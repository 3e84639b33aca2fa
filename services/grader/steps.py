"""The grader's protocol, pure: what a job does when its event is no longer the subject's last."""

from typing import Literal

import msgspec

from events import SubmissionCreated, fold

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


def next_step(job: Job, state: fold.SubmissionState | None) -> Step:
    """What the job does once its event is no longer the subject's last, from the fold of the
    submission's events (events/fold.py): finish a grading of its attempt already started,
    start it, or nothing (verdict given, a newer attempt asked for, cancelled, deleted). A
    submission deleted while waiting for its first verdict is graded all the same."""
    attempt = job.attempt
    if state is None:
        return "done"
    if state.deleted:
        if not (state.waiting and attempt == 1):
            return "done"
    elif state.graded >= attempt or state.attempt > attempt:
        return "done"
    elif state.attempt == attempt and not state.undecided:
        return "done"  # the re-grade was cancelled: the verdict before it stands
    return "finish" if state.started >= attempt else "start"
