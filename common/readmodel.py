"""The read models as clients see them: the Valkey keys and the row -> JSON shapes that the
projector writes and the query API reads and fills (one definition for both)."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

from common.shapes import assignment_kind

ASSIGNMENTS_KEY = "query:assignments"
KEY_PREFIX = "query:"  # every read-model key: what a replay clears


def submission_key(submission_id: object) -> str:
    return f"query:submission:{submission_id}"


def progress_key(user_id: object) -> str:
    return f"query:progress:{user_id}"


def assignment_key(assignment_id: object) -> str:
    """Named for its table, assignments_v3: a key left by an older shape is not read."""
    return f"query:assignment_v3:{assignment_id}"


def run_key(run_id: object) -> str:
    return f"query:run:{run_id}"


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
    return {
        **assignment_summary(row),
        "handout": row["handout"],
        "starter": row["starter"],
        "kind": assignment_kind(row["test_style"], row["entry_point"]),
        "entry_point": row["entry_point"],
    }


def run(row: dict[str, Any]) -> dict[str, Any]:
    """The client shape (common.shapes.Run) plus `user_id` (who may read it), as cached under
    query:run (`last_seq` is added by the cache)."""
    shape: dict[str, Any] = msgspec.to_builtins(
        {
            "id": row["run_id"],
            "user_id": row["user_id"],
            "assignment_id": row["assignment_id"],
            "status": row["status"],
            "stdout": row["stdout"] or "",
            "stderr": row["stderr"] or "",
            "value": row["value"],
            "error": row["error"],
            "limit": row["limit_hit"],
            "time_ms": row["time_ms"],
            "created_at": _utc(row["created_at"]),
        }
    )
    return shape


def completed(user_id: object, rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A student's passed assignments, as cached under query:progress."""
    return {"user_id": str(user_id), "completed": [str(row["assignment_id"]) for row in rows]}
