"""The query API serves assignments, a student's own submissions and progress."""

import uuid

from services.projector import runner
from tests.integration.projector.history import Submission, append, published
from tests.integration.query_api.conftest import bearer


async def test_health_needs_no_credentials(client):
    response = await client.get("/api/health")
    assert (response.status_code, response.json()) == (200, {"ok": True})


async def test_every_read_needs_credentials(client):
    for path in ["/api/assignments", "/api/submissions", "/api/progress"]:
        response = await client.get(path)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    bad = await client.get("/api/progress", headers={"Authorization": "Bearer student.x.y"})
    assert bad.status_code == 401


async def test_assignments_are_listed_by_position_without_tests(
    client, js, pool, query_cache, student
):
    first, second = uuid.uuid4(), uuid.uuid4()
    await append(js, published(second, 2, "Second"), published(first, 1, "First"))
    await runner.catch_up(js, pool, query_cache)
    _, headers = student()

    listed = (await client.get("/api/assignments", headers=headers)).json()
    one = (await client.get(f"/api/assignments/{first}", headers=headers)).json()

    assert listed == [
        {"id": str(first), "title": "First", "position": 1},
        {"id": str(second), "title": "Second", "position": 2},
    ]
    assert one == {
        "id": str(first),
        "title": "First",
        "position": 1,
        "handout": "# Assignment 1\n",
        "starter": "def solve():\n    pass\n",
        "kind": "program",  # module tests that name no function to call
        "entry_point": None,
    }
    for missing in [uuid.uuid4(), "not-a-uuid"]:
        response = await client.get(f"/api/assignments/{missing}", headers=headers)
        assert (response.status_code, response.json()["error"]) == (404, "not_found")


async def test_a_student_sees_their_own_submission_and_not_anothers(
    client, js, pool, query_cache, student
):
    me, my_headers = student()
    _, their_headers = student()
    sub = Submission(me, uuid.uuid4(), code="print('mine')\n")
    seqs = await append(js, sub.created(), sub.started(), sub.graded("failed"))
    await runner.catch_up(js, pool, query_cache)

    mine = await client.get(f"/api/submissions/{sub.submission_id}", headers=my_headers)
    theirs = await client.get(f"/api/submissions/{sub.submission_id}", headers=their_headers)
    their_list = await client.get("/api/submissions", headers=their_headers)

    assert mine.status_code == 200
    body = mine.json()
    assert body["id"] == str(sub.submission_id)
    assert (body["status"], body["code"], body["last_seq"]) == ("failed", sub.code, seqs[-1])
    assert body["feedback"]["message"] == "failed on attempt 1"
    assert body["created_at"] == "2025-03-01T09:00:00Z"
    assert body["graded_at"] == "2025-03-01T09:02:00Z"
    assert "user_id" not in body
    assert (theirs.status_code, theirs.json()["error"]) == (404, "not_found")
    assert their_list.json() == {"items": [], "next": None}


async def test_a_deleted_submission_is_gone(client, js, pool, query_cache, student):
    me, headers = student()
    gone, kept = Submission(me, uuid.uuid4()), Submission(me, uuid.uuid4())
    await append(js, gone.created(0), kept.created(1), gone.deleted())
    await runner.catch_up(js, pool, query_cache)

    single = await client.get(f"/api/submissions/{gone.submission_id}", headers=headers)
    listed = (await client.get("/api/submissions", headers=headers)).json()

    assert single.status_code == 404
    assert [item["id"] for item in listed["items"]] == [str(kept.submission_id)]


async def test_submissions_page_newest_first_with_a_cursor(client, js, pool, query_cache, student):
    me, headers = student()
    assignment, other_assignment = uuid.uuid4(), uuid.uuid4()
    subs = [Submission(me, assignment) for _ in range(5)]
    elsewhere = Submission(me, other_assignment)
    minutes = [0, 1, 1, 1, 2]  # ties on created_at are broken by the id
    await append(js, *(sub.created(minute) for minute, sub in zip(minutes, subs, strict=True)))
    await append(js, elsewhere.created(10), Submission(uuid.uuid4(), assignment).created(11))
    await runner.catch_up(js, pool, query_cache)

    pages, cursor = [], None
    while True:
        query = {"assignment_id": str(assignment), "limit": 2}
        response = await client.get(
            "/api/submissions",
            headers=headers,
            params={**query, **({"cursor": cursor} if cursor else {})},
        )
        body = response.json()
        pages.append([item["id"] for item in body["items"]])
        cursor = body["next"]
        if cursor is None:
            break

    ordered = sorted(
        zip(minutes, subs, strict=True), key=lambda m_s: (m_s[0], m_s[1].submission_id)
    )
    newest_first = [str(sub.submission_id) for _, sub in reversed(ordered)]
    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:]]
    everything = (await client.get("/api/submissions", headers=headers)).json()
    assert [item["id"] for item in everything["items"]] == [
        str(elsewhere.submission_id),
        *newest_first,
    ]
    assert everything["next"] is None


async def test_bad_paging_parameters_are_json_errors(client, student):
    _, headers = student()
    cases = [
        ({"limit": "0"}, 422),
        ({"limit": "101"}, 422),
        ({"limit": "ten"}, 400),
        ({"cursor": "garbage!"}, 400),
        ({"cursor": "WzEsMl0"}, 400),  # base64 of [1,2]: well-formed, not ours
        ({"assignment_id": "nope"}, 400),
        ({"after_seq": "-1"}, 422),
        ({"after_seq": "soon"}, 400),
    ]
    for params, status in cases:
        response = await client.get("/api/submissions", headers=headers, params=params)
        assert response.status_code == status, params
        assert set(response.json()) == {"error", "detail"}
    assert (
        await client.get("/api/submissions", headers=headers, params={"limit": "100"})
    ).status_code == 200


async def test_progress_counts_a_pass_once_and_names_the_next_assignment(
    client, js, pool, query_cache, student
):
    me, headers = student()
    a1, a2, a3 = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await append(js, published(a1, 1), published(a2, 2), published(a3, 3))
    passes = [Submission(me, a1), Submission(me, a1), Submission(me, a3)]
    for minute, sub in enumerate(passes):
        await append(js, sub.created(minute), sub.graded("passed", minute=minute))
    failed = Submission(me, a2)
    await append(js, failed.created(9), failed.graded("failed", minute=9))
    await runner.catch_up(js, pool, query_cache)

    progress = (await client.get("/api/progress", headers=headers)).json()
    assert progress == {
        "points": 200,
        "completed": [str(a1), str(a3)],
        "next_assignment_id": str(a2),
    }

    last = Submission(me, a2)
    await append(js, last.created(20, reused="passed"))
    await runner.catch_up(js, pool, query_cache)
    progress = (await client.get("/api/progress", headers=headers)).json()
    assert (progress["points"], progress["next_assignment_id"]) == (300, None)

    _, newcomer = student()
    fresh = (await client.get("/api/progress", headers=newcomer)).json()
    assert fresh == {"points": 0, "completed": [], "next_assignment_id": str(a1)}


async def test_the_session_cookie_works_like_a_bearer_token(client, js, pool, query_cache):
    me = uuid.uuid4()
    sub = Submission(me, uuid.uuid4())
    await append(js, sub.created())
    await runner.catch_up(js, pool, query_cache)
    token = bearer(me)["Authorization"].removeprefix("Bearer ")
    client.cookies.set("grindstone_session", token)
    response = await client.get(f"/api/submissions/{sub.submission_id}")
    assert (response.status_code, response.json()["status"]) == (200, "pending")


async def test_head_answers_as_get_without_a_body(client, student):
    _, headers = student()
    for path in ["/api/health", "/api/assignments", "/api/submissions", "/api/progress"]:
        got = await client.get(path, headers=headers)
        head = await client.head(path, headers=headers)
        assert (head.status_code, head.content) == (got.status_code, b""), path
        assert head.headers["content-type"] == got.headers["content-type"]


async def test_a_write_method_here_is_a_405_naming_the_methods(client, student):
    _, headers = student()
    response = await client.get("/api/sessions", headers=headers)
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert response.json()["error"] == "method_not_allowed"
