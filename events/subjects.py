"""Subject builders and the stream definitions (names, subjects, retention)."""

from uuid import UUID

EVENTS_STREAM = "EVENTS"
EVENTS_SUBJECTS = ["events.>"]
ASSIGNMENTS_FILTER = "events.assignment.*"
SUBMISSIONS_FILTER = "events.submission.>"

VERDICT_CACHE_BUCKET = "grading-verdicts"
DEAD_LETTER_SUBJECT = "grading.dead"

GRADER_CONSUMER = "grader-submissions"


def assignment(assignment_id: UUID) -> str:
    return f"events.assignment.{assignment_id}"


def submission(user_id: UUID, submission_id: UUID) -> str:
    return f"events.submission.{user_id}.{submission_id}"


def student_submissions(user_id: UUID) -> str:
    """Every submission subject of one student: the student aggregate's boundary."""
    return f"events.submission.{user_id}.*"


def ids_of(subject: str) -> tuple[str, str]:
    """(user_id, submission_id) of a submission subject."""
    _, _, user_id, submission_id = subject.split(".")
    return user_id, submission_id


def verdict_key(assignment_sha256: str, code_sha256: str) -> str:
    return f"{assignment_sha256}.{code_sha256}"
