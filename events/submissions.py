"""Facts about one submission; subject events.submission.<user_id>.<submission_id>."""

from datetime import datetime
from typing import Literal
from uuid import UUID

import msgspec

from events.base import Event

Verdict = Literal["passed", "failed", "error"]
Outcome = Literal["passed", "failed", "error", "skipped"]


class CaseFeedback(msgspec.Struct, frozen=True, kw_only=True):
    """One test's result; every text is capped by the grader."""

    name: str
    outcome: Outcome
    message: str = ""
    expected: str | None = None
    actual: str | None = None
    line: int | None = None  # the line of the student's code where it failed
    source_line: str | None = None  # that line's text
    error: str | None = None  # exception type and message
    output: str = ""  # what the student's code printed during the test
    call: str | None = None  # the call into the student's code that failed, e.g. `add(2, 3)`
    stdin: str | None = None  # the standard input of the program run that failed
    text: bool = False  # expected and actual are printed text, not Python literals


class CodeError(msgspec.Struct, frozen=True, kw_only=True):
    """The student's code could not be loaded (a syntax error, an exception at import)."""

    error: str  # exception type and message
    line: int | None = None  # the line of the student's code
    source_line: str | None = None  # that line's text


class Feedback(msgspec.Struct, frozen=True, kw_only=True):
    message: str
    tests: list[CaseFeedback] = []
    output: str = ""  # output outside any test (module import, stdio programs)
    load_error: CodeError | None = None  # shown once; the tests it stopped are skipped


class ReusedVerdict(msgspec.Struct, frozen=True, kw_only=True):
    """The verdict of an earlier, identical submission, given without grading again."""

    from_submission_id: UUID
    status: Verdict
    feedback: Feedback


class SubmissionCreated(Event, frozen=True, kw_only=True):
    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    code: str
    code_sha256: str
    assignment_sha256: str  # the assignment content this code is graded against
    reused: ReusedVerdict | None = None


class SubmissionGradingStarted(Event, frozen=True, kw_only=True):
    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    attempt: int  # 1 for the first grading, +1 per re-grade
    grader_id: str


class SubmissionGraded(Event, frozen=True, kw_only=True):
    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    attempt: int
    status: Verdict
    feedback: Feedback
    runtime_ms: int | None = None
    deleted: bool = False  # the student had deleted it before this verdict: nobody is shown it
    assignment_sha256: str | None = None  # the assignment version graded against, if any


class SubmissionDeleted(Event, frozen=True, kw_only=True):
    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    pending: bool = False  # its verdict was still to come: grading goes on, the slot stays taken


class SubmissionRegradeRequested(Event, frozen=True, kw_only=True):
    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    attempt: int
    requested_by: str
    assignment_sha256: str | None = None  # the version to grade against; None: the submission's


class SubmissionRegradeCancelled(Event, frozen=True, kw_only=True):
    """An operator cancelled a re-grade before any grader started it: the attempt is never
    graded, and the verdict before it (carried here) is the submission's verdict again."""

    submission_id: UUID
    user_id: UUID
    assignment_id: UUID
    attempt: int  # the cancelled attempt; the next re-grade is attempt + 1
    cancelled_by: str
    status: Verdict  # the verdict in force again, as it was last given
    feedback: Feedback
    graded_at: datetime | None = None
