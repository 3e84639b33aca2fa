"""Rows -> client shapes, and the progress summary."""

from datetime import datetime, timedelta, timezone
from uuid import UUID, uuid4

import msgspec

from common import readmodel
from common.shapes import Progress, Submission
from services.query_api import views

A1, A2, A3 = (str(uuid4()) for _ in range(3))
ASSIGNMENTS = [
    {"id": A1, "title": "One", "position": 1},
    {"id": A2, "title": "Two", "position": 2},
    {"id": A3, "title": "Three", "position": 3},
]


def test_progress_counts_each_assignment_once():
    summary = views.progress([A1, A3, A1], ASSIGNMENTS)
    assert summary == Progress(200, [UUID(A1), UUID(A3)], UUID(A2))


def test_next_is_the_first_by_position_not_passed_or_null():
    assert views.progress([], ASSIGNMENTS).next_assignment_id == UUID(A1)
    assert views.progress([A3, A2, A1], ASSIGNMENTS).next_assignment_id is None
    assert views.progress([], []).next_assignment_id is None


def test_a_submission_row_becomes_json_with_utc_times():
    row = {
        "submission_id": uuid4(),
        "user_id": uuid4(),
        "assignment_id": uuid4(),
        "code": "x = 1\n",
        "status": "passed",
        "feedback": {"message": "ok", "tests": [], "output": ""},
        "created_at": datetime(2025, 1, 1, 10, 0, tzinfo=timezone(timedelta(hours=1))),
        "graded_at": None,
        "attempt": 1,
        "deleted": False,
        "last_seq": 9,
    }
    value = readmodel.submission(row)
    assert value["created_at"] == "2025-01-01T09:00:00Z"
    assert value["graded_at"] is None
    assert value["id"] == str(row["submission_id"])
    assert "attempt" not in value and "deleted" not in value
    public = msgspec.convert({**value, "last_seq": 9}, Submission)
    assert msgspec.to_builtins(public)["last_seq"] == 9
    assert "user_id" not in msgspec.to_builtins(public)
