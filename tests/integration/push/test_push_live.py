"""Live updates: a student gets their own submission events, in order, in the documented shape."""

from uuid import uuid4

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.integration.push.conftest import append, receive, student_socket, token_for
from tests.unit.push.builders import Story


def summary(message: dict) -> tuple[str, str, str, int]:
    submission = message["submission"]
    return message["type"], submission["id"], submission["status"], message["seq"]


async def test_a_student_receives_their_own_events_in_order_and_not_another_students(push, js):
    ann, bob = Story(), Story()
    async with (
        student_socket(push, ann.user_id) as ann_ws,
        student_socket(push, bob.user_id) as bob_ws,
    ):
        seqs = [
            await append(js, ann.subject, ann.created()),
            await append(js, bob.subject, bob.created()),
            await append(js, ann.subject, ann.started()),
            await append(js, bob.subject, bob.started()),
            await append(js, ann.subject, ann.graded("failed")),
        ]
        got = [await receive(ann_ws) for _ in range(3)]
        bob_got = [summary(await receive(bob_ws)) for _ in range(2)]
        last = await append(js, ann.subject, ann.deleted())
        got.append(await receive(ann_ws))
    a = str(ann.submission_id)
    assert [summary(m) for m in got] == [
        ("submission.created", a, "pending", seqs[0]),
        ("submission.grading", a, "grading", seqs[2]),
        ("submission.graded", a, "failed", seqs[4]),
        ("submission.deleted", a, "failed", last),
    ]
    b = str(bob.submission_id)
    assert bob_got == [
        ("submission.created", b, "pending", seqs[1]),
        ("submission.grading", b, "grading", seqs[3]),
    ]
    graded = got[2]["submission"]
    assert graded["code"] == ann.code and graded["assignment_id"] == str(ann.assignment_id)
    assert graded["feedback"]["message"] == "attempt 1: failed"
    assert graded["created_at"] == "2025-03-01T09:01:00Z" and graded["last_seq"] == seqs[4]


async def test_a_client_connected_after_creation_still_gets_the_whole_submission(push, js):
    story = Story()
    await append(js, story.subject, story.created())
    async with student_socket(push, story.user_id) as ws:
        seq = await append(js, story.subject, story.started())
        message = await receive(ws)
    assert summary(message) == ("submission.grading", str(story.submission_id), "grading", seq)
    assert message["submission"]["code"] == story.code
    assert message["submission"]["created_at"] == "2025-03-01T09:01:00Z"


async def test_a_reused_verdict_gives_created_then_graded_both_final(push, js):
    story = Story()
    async with student_socket(push, story.user_id) as ws:
        seq = await append(js, story.subject, story.created(reused="passed"))
        got = [await receive(ws), await receive(ws)]
    s = str(story.submission_id)
    assert [summary(m) for m in got] == [
        ("submission.created", s, "passed", seq),
        ("submission.graded", s, "passed", seq),
    ]
    assert got[1]["submission"]["feedback"]["message"] == "reused"


async def test_a_regrade_request_is_sent_as_grading_with_status_pending(push, js):
    story = Story()
    for event in (story.created(), story.started(), story.graded("failed")):
        await append(js, story.subject, event)
    async with student_socket(push, story.user_id) as ws:
        seq = await append(js, story.subject, story.regrade(attempt=2))
        message = await receive(ws)
    assert summary(message) == ("submission.grading", str(story.submission_id), "pending", seq)
    assert message["submission"]["feedback"] is None


@pytest.mark.parametrize(
    "query, headers",
    [
        ("", {}),
        ("", {"Authorization": "Bearer student.not-a-uuid.forged"}),
        (f"?token=student.{uuid4()}.forged", {}),
        ("", {"Cookie": "grindstone_session=garbage"}),
    ],
    ids=["none", "bad-bearer", "bad-token-param", "bad-cookie"],
)
async def test_missing_or_bad_credentials_are_closed_with_4401(push, query, headers):
    async with connect(push.url + query, additional_headers=headers) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    assert "Sign in" in closed.value.rcvd.reason


@pytest.mark.parametrize("how", ["token-param", "cookie"])
async def test_scripts_and_pages_can_authenticate_without_a_header(push, js, how):
    story = Story()
    token = token_for(story.user_id)
    url, headers = push.url, {}
    if how == "token-param":
        url += f"?token={token}"
    else:
        headers["Cookie"] = f"grindstone_session={token}"
    async with connect(url, additional_headers=headers) as ws:
        seq = await append(js, story.subject, story.created())
        assert (await receive(ws))["seq"] == seq


@pytest.mark.parametrize("after", ["-1", "abc", "1.5", "\u0661"])
async def test_a_malformed_after_is_closed_with_4400(push, after):
    url = f"{push.url}?after={after}&token={token_for(uuid4())}"
    async with connect(url) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4400


async def test_the_health_check_answers_ok(push):
    async with httpx.AsyncClient(base_url=push.http_url) as http:
        response = await http.get("/ws/health")
    assert response.status_code == 200 and response.json() == {"ok": True}


async def test_what_happened_while_no_one_listened_is_read_back_from_the_stream(push, js):
    story = Story()
    async with student_socket(push, story.user_id) as ws:
        await append(js, story.subject, story.created())
        await receive(ws)
    await append(js, story.subject, story.deleted())
    async with student_socket(push, story.user_id) as ws:
        await append(js, story.subject, story.graded("passed"))  # stray: deleted already
        marker = Story(user_id=story.user_id)
        seq = await append(js, marker.subject, marker.created())
        message = await receive(ws)
    assert summary(message) == ("submission.created", str(marker.submission_id), "pending", seq)
