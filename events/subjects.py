"""Subject builders and the stream definitions (names, subjects, retention)."""

from uuid import UUID

EVENTS_STREAM = "EVENTS"
EVENTS_SUBJECTS = ["events.>"]
ASSIGNMENTS_FILTER = "events.assignment.*"
SUBMISSIONS_FILTER = "events.submission.>"
RUNS_FILTER = "events.run.>"

VERDICT_CACHE_BUCKET = "grading-verdicts"

# jobs that kept crashing their grader, set aside for an operator: grading.dead.<uid>.<sid>
DEAD_LETTER_STREAM = "GRADING_DEAD"
DEAD_LETTER_SUBJECT = "grading.dead"
DEAD_LETTER_SUBJECTS = [f"{DEAD_LETTER_SUBJECT}.>"]

# events a consumer could not decode or apply, for an operator: setaside.<consumer>.<stream seq>
SET_ASIDE_STREAM = "SET_ASIDE"
SET_ASIDE_SUBJECT = "setaside"
SET_ASIDE_SUBJECTS = [f"{SET_ASIDE_SUBJECT}.>"]

# signed checkpoints of the EVENTS stream's running hash (events/integrity.py)
AUDIT_CHECKPOINTS_STREAM = "AUDIT_CHECKPOINTS"
AUDIT_CHECKPOINT_SUBJECT = "audit.checkpoint"
AUDIT_CHECKPOINTS_SUBJECTS = [AUDIT_CHECKPOINT_SUBJECT]

GRADER_CONSUMER = "grader-submissions"
RUNS_CONSUMER = "grader-runs"  # ungraded runs, served after submissions


def assignment(assignment_id: UUID) -> str:
    return f"events.assignment.{assignment_id}"


def submission(user_id: UUID, submission_id: UUID) -> str:
    return f"events.submission.{user_id}.{submission_id}"


def submission_by_id(submission_id: UUID) -> str:
    """The subject of one submission whose student is not known (a wildcard)."""
    return f"events.submission.*.{submission_id}"


def student_submissions(user_id: UUID) -> str:
    """Every submission subject of one student: the student aggregate's boundary."""
    return f"events.submission.{user_id}.*"


def student_events(user_id: UUID) -> str:
    """Every subject of one student: their submissions and their runs."""
    return f"events.*.{user_id}.*"


def ids_of(subject: str) -> tuple[str, str]:
    """(user_id, submission_id) of a submission subject; (user_id, run_id) of a run's."""
    _, _, user_id, submission_id = subject.split(".")
    return user_id, submission_id


def dead_letter(user_id: UUID, submission_id: UUID) -> str:
    return f"{DEAD_LETTER_SUBJECT}.{user_id}.{submission_id}"


def verdict_key(assignment_sha256: str, code_sha256: str) -> str:
    return f"{assignment_sha256}.{code_sha256}"


def set_aside(consumer: str, seq: int) -> str:
    return f"{SET_ASIDE_SUBJECT}.{consumer}.{seq}"


def run(user_id: UUID, run_id: UUID) -> str:
    return f"events.run.{user_id}.{run_id}"


def student_runs(user_id: UUID) -> str:
    return f"events.run.{user_id}.*"
