"""The operators' reads: per-assignment figures, the live feed of every student's submissions,
and the staff-only rule (students 403, no token 401)."""

import uuid
from uuid import UUID

import pytest

from common import auth
from events import CaseFeedback, Feedback, SubmissionGraded
from services.projector import runner
from tests.conftest import SECRET
from tests.integration.projector.history import Submission, append, at, published


@pytest.fixture(autouse=True)
async def clean_cache(valkey):
    """The read models' cache emptied afterwards too: a later test's process reads Valkey
    without flushing it (tests/integration/query_api/test_process.py)."""
    yield
    await valkey.flushdb()


def staff(role: auth.Role) -> dict[str, str]:
    token = auth.issue(SECRET, auth.Identity(uuid.uuid4(), role))
    return {"Authorization": f"Bearer {token}"}


def graded(sub: Submission, status: str, failing: list[str], minute: int) -> SubmissionGraded:
    tests = [CaseFeedback(name=name, outcome="failed") for name in failing]
    tests.append(CaseFeedback(name="test_ok", outcome="passed"))
    return SubmissionGraded(
        occurred_at=at(minute),
        attempt=1,
        status=status,  # type: ignore[arg-type]
        feedback=Feedback(message=status, tests=tests),
        submission_id=sub.submission_id,
        user_id=sub.user_id,
        assignment_id=sub.assignment_id,
    )


async def history(js, assignment_id: UUID, tries: list[list[str]]) -> list[Submission]:
    """One student's submissions to the assignment: each try lists the tests it fails (none:
    it passes)."""
    user_id = uuid.uuid4()
    made = []
    for minute, failing in enumerate(tries):
        sub = Submission(user_id, assignment_id)
        status = "failed" if failing else "passed"
        await append(js, sub.created(minute=minute), graded(sub, status, failing, minute))
        made.append(sub)
    return made


async def test_the_summary_gives_each_assignment_its_figures(client, js, pool, query_cache):
    first, second = uuid.uuid4(), uuid.uuid4()
    await append(js, published(first, 1, "First"), published(second, 2, "Second"))
    await history(js, first, [["test_a"], ["test_a", "test_b"], []])  # passes on the 3rd
    await history(js, first, [[]])  # passes at once
    await history(js, first, [["test_b"], ["test_a"]])  # never passes
    await runner.catch_up(js, pool, query_cache)

    answer = await client.get("/api/ops/summary", headers=staff("operator"))

    assert answer.status_code == 200
    body = answer.json()
    by_title = {a["title"]: a for a in body["assignments"]}
    assert [a["title"] for a in body["assignments"]] == ["First", "Second"]
    one = by_title["First"]
    assert (one["attempts"], one["students"], one["students_passed"]) == (6, 3, 2)
    assert (one["graded"], one["passed"]) == (6, 2)
    assert one["pass_rate"] == 2 / 6
    assert one["median_attempts_to_pass"] == 2.0  # median of 3 and 1
    assert (one["common_failing_test"], one["common_failing_count"]) == ("test_a", 3)
    two = by_title["Second"]
    assert (two["attempts"], two["pass_rate"], two["median_attempts_to_pass"]) == (0, None, None)
    assert two["common_failing_test"] is None
    assert body["projector_seq"] > 0


async def test_the_feed_gives_the_newest_then_only_what_changed_after(
    client, js, pool, query_cache
):
    assignment = uuid.uuid4()
    await append(js, published(assignment, 1))
    early = await history(js, assignment, [["test_a"], []])
    await runner.catch_up(js, pool, query_cache)
    headers = staff("operator")

    first = (await client.get("/api/ops/submissions", headers=headers)).json()
    assert [i["id"] for i in first["items"]] == [str(s.submission_id) for s in early]
    assert [i["status"] for i in first["items"]] == ["failed", "passed"]
    assert "code" not in first["items"][0]

    late = await history(js, assignment, [["test_b"]])
    await runner.catch_up(js, pool, query_cache)
    after = first["after"]
    second = (await client.get(f"/api/ops/submissions?after={after}", headers=headers)).json()
    assert [i["id"] for i in second["items"]] == [str(late[0].submission_id)]
    assert second["after"] > after
    again = f"/api/ops/submissions?after={second['after']}"
    third = (await client.get(again, headers=headers)).json()
    assert third == {"items": [], "after": second["after"]}


async def test_ops_reads_refuse_students_and_auditors_and_need_a_token(client, student):
    _, student_headers = student()
    for path in ["/api/ops/summary", "/api/ops/submissions"]:
        for headers, status in [(student_headers, 403), (staff("auditor"), 403), ({}, 401)]:
            answer = await client.get(path, headers=headers)
            assert answer.status_code == status, (path, headers)
            assert set(answer.json()) == {"error", "detail"}


async def test_the_feed_refuses_bad_parameters(client):
    headers = staff("operator")
    for query, status in [
        ("after=-1", 422),
        ("after=x", 400),
        ("limit=0", 422),
        ("limit=201", 422),
    ]:
        answer = await client.get(f"/api/ops/submissions?{query}", headers=headers)
        assert answer.status_code == status, query


async def test_the_summary_carries_the_system_state_grindstone_status_shows(client):
    body = (await client.get("/api/ops/summary", headers=staff("operator"))).json()
    system = body["system"]
    assert system is not None
    assert "EVENTS" in [s["name"] for s in system["streams"]]
    assert {"graders", "dead_letters", "set_aside", "graded_last_minute", "problems"} <= set(system)
