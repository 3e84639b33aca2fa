"""The read models as clients see them: the Valkey keys and the row -> JSON shapes that the
projector writes and the query API reads and fills (one definition for both)."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

ASSIGNMENTS_KEY = "query:assignments"
KEY_PREFIX = "query:"  # every read-model key: what a replay clears


def submission_key(submission_id: object) -> str:
    return f"query:submission:{submission_id}"


def progress_key(user_id: object) -> str:
    return f"query:progress:{user_id}"


def assignment_key(assignment_id: object) -> str:
    return f"query:assignment:{assignment_id}"


def _utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC)


def submission(row: dict[str, Any]) -> dict[str, Any]:
    """The client shape plus `user_id` (who may read it), as cached under query:submission
    (`last_seq` is added by the cache)."""
    shape: dict[str, Any] = msgspec.to_builtins(
        {
            "id": row["submission_id"],
            "user_id": row["user_id"],
            "assignment_id": row["assignment_id"],
            "code": row["code"],
            "status": row["status"],
            "feedback": row["feedback"],
            "created_at": _utc(row["created_at"]),
            "graded_at": _utc(row["graded_at"]),
        }
    )
    return shape


def assignment_summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(row["assignment_id"]), "title": row["title"], "position": row["position"]}


def assignment_detail(row: dict[str, Any]) -> dict[str, Any]:
    return {**assignment_summary(row), "handout": row["handout"], "starter": row["starter"]}


def completed(user_id: object, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A student's passed assignments, as cached under query:progress."""
    return {"user_id": str(user_id), "completed": [str(row["assignment_id"]) for row in rows]}
