"""GET /api/audit/events: auditors read the stored events in stream order, filtered and paged,
each with its chain fields checked; everyone else is refused."""

import uuid

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from common import auth
from common.embedded import free_port
from events import integrity
from services.query_api import audit
from services.query_api.app import create_app
from tests.conftest import SECRET
from tests.integration.projector.history import Run, Submission, append, published, subject_of
from tests.integration.query_api.conftest import bearer

PATH = "/api/audit/events"


def staff(role: auth.Role) -> dict[str, str]:
    token = auth.issue(SECRET, auth.Identity(uuid.uuid4(), role))
    return {"Authorization": f"Bearer {token}"}


AUDITOR = staff("auditor")


async def history(js):
    """Two students, two assignments; (ann, bob, first, seqs of every event in order)."""
    ann, bob, first, second = (uuid.uuid4() for _ in range(4))
    a1, a2, b1 = Submission(ann, first), Submission(ann, second), Submission(bob, first)
    events = [
        published(first, 1, "First"),
        a1.created(),
        b1.created(1),
        a1.started(),
        a2.created(2),
        b1.started(),
        a1.graded("failed"),
        a1.deleted(),
    ]
    seqs = await append(js, *events)
    return ann, bob, first, a1, list(zip(seqs, events, strict=True))


async def events_of(client, **query):
    response = await client.get(PATH, params=query, headers=AUDITOR)
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_auditor_reads_every_event_in_stream_order_with_verified_chains(client, js):
    *_, stored = await history(js)

    page = await events_of(client)

    assert [item["seq"] for item in page["items"]] == [seq for seq, _ in stored]
    assert [item["subject"] for item in page["items"]] == [subject_of(e) for _, e in stored]
    assert page["next"] is None
    first = page["items"][0]
    assert first["type"] == "AssignmentPublished" and first["version"] == 1
    assert first["payload"]["title"] == "First"
    assert first["integrity"]["prev"] == integrity.GENESIS
    assert all(item["integrity"]["verified"] for item in page["items"])


async def test_each_filter_answers_only_its_events(client, js):
    ann, bob, first, a1, stored = await history(js)

    def seqs_where(keep):
        return [seq for seq, event in stored if keep(event)]

    by_user = await events_of(client, user_id=str(ann))
    by_submission = await events_of(client, submission_id=str(a1.submission_id))
    by_assignment = await events_of(client, assignment_id=str(first))
    both = await events_of(client, user_id=str(bob), assignment_id=str(first))

    assert [i["seq"] for i in by_user["items"]] == seqs_where(
        lambda e: getattr(e, "user_id", None) == ann
    )
    assert [i["seq"] for i in by_submission["items"]] == seqs_where(
        lambda e: getattr(e, "submission_id", None) == a1.submission_id
    )
    assert [i["seq"] for i in by_assignment["items"]] == seqs_where(
        lambda e: e.assignment_id == first
    )
    assert [i["seq"] for i in both["items"]] == seqs_where(
        lambda e: getattr(e, "user_id", None) == bob
    )
    for page in (by_user, by_submission, by_assignment, both):
        assert all(item["integrity"]["verified"] for item in page["items"])


async def test_pages_follow_each_other_and_chains_verify_across_pages(client, js):
    ann, *_, stored = await history(js)
    wanted = [seq for seq, event in stored if getattr(event, "user_id", None) == ann]

    seen, after, pages = [], 0, 0
    while after is not None:
        page = await events_of(client, user_id=str(ann), after=after, limit=2)
        assert len(page["items"]) <= 2
        seen += page["items"]
        after, pages = page["next"], pages + 1

    assert [item["seq"] for item in seen] == wanted
    assert pages == 3  # 5 events, 2 a page; the last page says there is no more
    assert all(item["integrity"]["verified"] for item in seen)


async def test_an_event_that_does_not_chain_is_not_verified(client, js):
    ann = uuid.uuid4()
    sub = Submission(ann, uuid.uuid4())
    await append(js, sub.created(), sub.started())
    stored = await js.get_msg("EVENTS", seq=1, direct=True)  # an altered copy, headers kept
    altered = stored.data.replace(b"print(1)", b"print(2)")
    kept = {k: v for k, v in stored.headers.items() if not k.startswith("Nats-")}
    await js.publish(stored.subject, altered, headers=kept)

    page = await events_of(client, user_id=str(ann))

    assert [item["integrity"]["verified"] for item in page["items"]] == [True, True, False]


async def test_students_and_operators_are_refused_and_strangers_must_sign_in(client, js):
    for headers in (bearer(uuid.uuid4()), staff("operator")):
        response = await client.get(PATH, headers=headers)
        assert (response.status_code, response.json()["error"]) == (403, "forbidden")
    response = await client.get(PATH)
    assert (response.status_code, response.json()["error"]) == (401, "unauthorized")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"user_id": "not-a-uuid"}, 400),
        ({"submission_id": "12"}, 400),
        ({"after": "soon"}, 400),
        ({"limit": "many"}, 400),
        ({"after": "-1"}, 422),
        ({"limit": "0"}, 422),
        ({"limit": "1001"}, 422),
    ],
)
async def test_bad_parameters_are_json_errors(client, js, query, status):
    response = await client.get(PATH, params=query, headers=AUDITOR)
    assert response.status_code == status
    assert set(response.json()) == {"error", "detail"}


async def test_an_assignment_search_reads_a_bounded_stretch_and_pages_on(client, js, monkeypatch):
    monkeypatch.setattr(audit, "MAX_SCAN", 3)
    *_, first, _, stored = await history(js)
    wanted = [seq for seq, event in stored if event.assignment_id == first]

    seen, after, pages = [], 0, 0
    while after is not None:
        page = await events_of(client, assignment_id=str(first), after=after)
        seen += [item["seq"] for item in page["items"]]
        after, pages = page["next"], pages + 1

    assert seen == wanted
    assert pages > 1  # 8 events, at most 3 read a request


async def test_after_the_last_event_there_is_nothing_more(client, js):
    *_, stored = await history(js)

    page = await events_of(client, after=stored[-1][0])

    assert page == {"items": [], "next": None}


async def test_the_event_log_unreachable_is_a_503_and_other_reads_go_on(settings, pool, student):
    nowhere = msgspec.structs.replace(settings, nats_url=f"nats://127.0.0.1:{free_port()}")
    async with AsyncTestClient(create_app(nowhere)) as client:
        audit_read = await client.get(PATH, headers=AUDITOR)
        _, headers = student()
        student_read = await client.get("/api/assignments", headers=headers)

    assert (audit_read.status_code, audit_read.json()["error"]) == (503, "unavailable")
    assert student_read.status_code == 200


async def test_a_students_events_include_their_runs_with_verified_chains(client, js):
    ann, bob, first = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    submission, mine, theirs = Submission(ann, first), Run(ann, first), Run(bob, first)
    stored = await append(
        js, submission.created(), mine.requested(), theirs.requested(), mine.started(),
        mine.finished(), theirs.finished(),
    )  # fmt: skip

    page = await events_of(client, user_id=str(ann))

    assert [item["seq"] for item in page["items"]] == [stored[i] for i in (0, 1, 3, 4)]
    assert [item["type"] for item in page["items"]][1:] == [
        "RunRequested", "RunStarted", "RunFinished",
    ]  # fmt: skip
    assert all(item["integrity"]["verified"] for item in page["items"])
