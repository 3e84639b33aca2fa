"""Facts about one ungraded run of a student's code; subject events.run.<user_id>.<run_id>.

A run is never a submission: no verdict, no points, no place in the submissions. It goes
through the log so operators see run load, and a grader serves it after submissions.
"""

from uuid import UUID

import msgspec

from events.base import Event
from events.submissions import CodeError


class RunRequested(Event, frozen=True, kw_only=True):
    run_id: UUID
    user_id: UUID
    assignment_id: UUID
    assignment_sha256: str  # the assignment content whose style, entry point and limits apply
    code: str
    stdin: str = ""
    call: str | None = None  # one expression, such as `add(2, 3)` (function assignments)


class RunStarted(Event, frozen=True, kw_only=True):
    run_id: UUID
    user_id: UUID
    grader_id: str


class RunOutput(msgspec.Struct, frozen=True, kw_only=True):
    """What a run gave back; every text is capped by the grader."""

    stdout: str = ""
    stderr: str = ""
    value: str | None = None  # the call's result, as repr() writes it
    error: CodeError | None = None  # the exception that ended it, with the student's line
    limit: str | None = None  # the limit that stopped it: wall, cpu, memory, output, file
    time_ms: int = 0


class RunFinished(Event, frozen=True, kw_only=True):
    run_id: UUID
    user_id: UUID
    assignment_id: UUID
    output: RunOutput
