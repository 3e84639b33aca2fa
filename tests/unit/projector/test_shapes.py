"""The shapes and keys of common/readmodel.py (the projector writes, the query API reads)."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

from common import readmodel
from events import Feedback, ReusedVerdict, SubmissionCreated, SubmissionGraded
from services.projector.projections import progress

NOW = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)


def submission_row() -> dict:
    return {
        "submission_id": uuid4(),
        "user_id": uuid4(),
        "assignment_id": uuid4(),
        "code": "print(2)\n",
        "status": "failed",
        "feedback": {"message": "no", "tests": [], "output": ""},
        "attempt": 2,
        "created_at": datetime(2025, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        "graded_at": NOW,
        "deleted": False,
        "last_seq": 12,
    }


def assignment_row(**fields) -> dict:
    return {
        "assignment_id": uuid4(),
        "source_id": "hello",
        "title": "Hello",
        "position": 4,
        "handout": "# Hi",
        "starter": "",
        "test_style": "stdio",
        "entry_point": None,
        "last_seq": 3,
        **fields,
    }


def run_row(**fields) -> dict:
    return {
        "run_id": uuid4(),
        "user_id": uuid4(),
        "assignment_id": uuid4(),
        "status": "pending",
        "stdout": None,
        "stderr": None,
        "value": None,
        "error": None,
        "limit_hit": None,
        "time_ms": None,
        "created_at": datetime(2025, 5, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
        "last_seq": 7,
        **fields,
    }


def test_the_submission_shape_is_the_clients():
    row = submission_row()
    value = readmodel.submission(row)
    assert value["created_at"] == "2025-05-01T12:00:00Z" and value["id"] == str(
        row["submission_id"]
    )
    assert "attempt" not in value and "deleted" not in value


def test_the_assignment_shapes_never_show_the_source():
    row = assignment_row()
    assert readmodel.assignment_summary(row) == {
        "id": str(row["assignment_id"]), "title": "Hello", "position": 4,
    }  # fmt: skip
    assert readmodel.assignment_detail(row)["handout"] == "# Hi"
    assert "source_id" not in readmodel.assignment_detail(row)
    assert "test_style" not in readmodel.assignment_detail(row)


def test_an_assignment_is_a_function_only_when_its_module_tests_name_one():
    kinds = [
        readmodel.assignment_detail(assignment_row(test_style=style, entry_point=entry))
        for style, entry in [("module", "add"), ("module", None), ("stdio", None)]
    ]
    assert [(d["kind"], d["entry_point"]) for d in kinds] == [
        ("function", "add"), ("program", None), ("program", None),
    ]  # fmt: skip


def test_a_pending_run_shape_has_empty_output_and_its_owner():
    row = run_row()
    value = readmodel.run(row)
    assert value == {
        "id": str(row["run_id"]), "user_id": str(row["user_id"]),
        "assignment_id": str(row["assignment_id"]), "status": "pending", "stdout": "",
        "stderr": "", "value": None, "error": None, "limit": None, "time_ms": None,
        "created_at": "2025-05-01T12:00:00Z",
    }  # fmt: skip


def test_a_finished_run_shape_carries_its_output():
    error = {"error": "ZeroDivisionError: division by zero", "line": 2, "source_line": "1 / 0"}
    row = run_row(
        status="finished", stdout="hi\n", stderr="", value="5", error=error,
        limit_hit="wall", time_ms=12,
    )  # fmt: skip
    value = readmodel.run(row)
    assert (value["status"], value["stdout"], value["value"]) == ("finished", "hi\n", "5")
    assert (value["error"], value["limit"], value["time_ms"]) == (error, "wall", 12)


def test_the_progress_shape():
    user_id, rows = uuid4(), [{"assignment_id": uuid4(), "last_seq": 5}]
    assert readmodel.completed(user_id, rows) == {
        "user_id": str(user_id), "completed": [str(rows[0]["assignment_id"])],
    }  # fmt: skip


def test_keys_follow_the_design_notes():
    some = uuid4()
    assert readmodel.submission_key(some) == f"query:submission:{some}"
    assert readmodel.progress_key(some) == f"query:progress:{some}"
    assert readmodel.assignment_key(some) == f"query:assignment_v3:{some}"
    assert readmodel.run_key(some) == f"query:run:{some}"
    assert readmodel.ASSIGNMENTS_KEY == "query:assignments"
    assert all(
        key.startswith(readmodel.KEY_PREFIX)
        for key in (readmodel.submission_key(some), readmodel.ASSIGNMENTS_KEY, readmodel.run_key(1))
    )


def graded(status: str) -> SubmissionGraded:
    return SubmissionGraded(
        occurred_at=NOW,
        submission_id=uuid4(),
        user_id=uuid4(),
        assignment_id=uuid4(),
        attempt=1,
        status=status,
        feedback=Feedback(message=status),
    )


def created(reused: str | None) -> SubmissionCreated:
    verdict = reused and ReusedVerdict(
        from_submission_id=uuid4(), status=reused, feedback=Feedback(message="")
    )
    return SubmissionCreated(
        occurred_at=NOW,
        submission_id=uuid4(),
        user_id=uuid4(),
        assignment_id=uuid4(),
        code="",
        code_sha256="",
        assignment_sha256="",
        reused=verdict or None,
    )


def test_only_a_passed_verdict_counts_as_a_pass():
    event = graded("passed")
    assert progress._pass(event) == (event.user_id, event.assignment_id, NOW)
    assert progress._pass(graded("failed")) is None
    assert progress._pass(graded("error")) is None
    assert progress._pass(created("passed")) is not None
    assert progress._pass(created("failed")) is None
    assert progress._pass(created(None)) is None
