"""Read-model rows -> the JSON shapes clients see (the projector caches the same shapes)."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from common.shapes import Progress

POINTS_PER_ASSIGNMENT = 100


def _utc(instant: datetime | None) -> datetime | None:
    return None if instant is None else instant.astimezone(UTC)


def submission(row: dict[str, Any]) -> dict[str, Any]:
    """The client shape plus `user_id` (who may read it), as cached under query:submission."""
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


def progress(passed: list[str], assignments: list[dict[str, Any]]) -> Progress:
    """Points (each assignment once) and the first assignment by position not yet passed."""
    done = set(passed)
    remaining = (UUID(item["id"]) for item in assignments if item["id"] not in done)
    return Progress(
        points=POINTS_PER_ASSIGNMENT * len(done),
        completed=[UUID(item) for item in dict.fromkeys(passed)],
        next_assignment_id=next(remaining, None),
    )
