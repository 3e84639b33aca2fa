"""The progress clients see (the cached shapes and keys are common/readmodel.py's)."""

from typing import Any
from uuid import UUID

from common.shapes import Progress

POINTS_PER_ASSIGNMENT = 100


def progress(passed: list[str], assignments: list[dict[str, Any]]) -> Progress:
    """Points (each assignment once) and the first assignment by position not yet passed."""
    done = set(passed)
    remaining = (UUID(item["id"]) for item in assignments if item["id"] not in done)
    return Progress(
        points=POINTS_PER_ASSIGNMENT * len(done),
        completed=[UUID(item) for item in dict.fromkeys(passed)],
        next_assignment_id=next(remaining, None),
    )
