"""The assignments' answers kept in the process (services/query_api/hot.py): served before
routing, dropped when Valkey says an assignment changed, trusted only while that news flows."""

import asyncio
import uuid
from collections.abc import Callable

from common import readmodel
from common.tracking import Tracker
from services.projector import runner
from services.query_api.hot import Copies
from tests.integration.projector.history import append, published

WAIT_S = 30  # bounds on waiting for Valkey's news on a loaded machine, not timings


def heard(tracker: Tracker, key: str) -> asyncio.Event:
    """Set once the tracker hears that `key` changed (or that anything may have)."""
    event = asyncio.Event()

    def listener(keys: list[str] | None) -> None:
        if keys is None or key in keys:
            event.set()

    tracker.listen(listener)
    return event


async def publish(js, pool, query_cache, assignment_id: uuid.UUID, title: str) -> None:
    await append(js, published(assignment_id, 1, title=title))
    await runner.catch_up(js, pool, query_cache)


async def live_parts(client) -> tuple[Tracker, Copies]:
    tracker: Tracker = client.app.state.reader.tracker
    assert await tracker.wait_live(WAIT_S)
    return tracker, client.app.state.copies


async def test_a_copy_answers_as_the_route_does_and_goes_when_the_assignment_changes(
    client, js, pool, query_cache, student: Callable
):
    _, headers = student()
    assignment = uuid.uuid4()
    await publish(js, pool, query_cache, assignment, "First title")
    tracker, copies = await live_parts(client)
    path = f"/api/assignments/{assignment}"

    routed = await client.get(path, headers=headers)
    assert copies.get(str(assignment)) is not None
    copied = await client.get(path, headers=headers)

    changed = heard(tracker, readmodel.assignment_key(assignment))
    await publish(js, pool, query_cache, assignment, "Second title")  # the projector refreshes
    await asyncio.wait_for(changed.wait(), WAIT_S)
    after = await client.get(path, headers=headers)

    assert copied.content == routed.content
    assert copied.headers["content-type"] == routed.headers["content-type"]
    assert copied.headers["content-length"] == routed.headers["content-length"]
    assert routed.json()["title"] == "First title"
    assert after.json()["title"] == "Second title"


async def test_a_copy_still_asks_for_a_valid_token(client, js, pool, query_cache, student):
    _, headers = student()
    assignment = uuid.uuid4()
    await publish(js, pool, query_cache, assignment, "Guarded")
    await live_parts(client)
    path = f"/api/assignments/{assignment}"
    assert (await client.get(path, headers=headers)).status_code == 200

    anonymous = await client.get(path)
    forged = await client.get(path, headers={"Authorization": "Bearer student.x.1.y"})

    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "unauthorized")
    assert forged.status_code == 401


async def test_a_fill_overtaken_by_a_change_is_not_kept(client):
    tracker, copies = await live_parts(client)
    key = readmodel.assignment_key("a")
    epoch = copies.epoch  # a read begins
    tracker._tell([key])  # Valkey says the assignment changed before the read's answer came

    copies.put("a", b"{}", epoch)
    copies.put("b", b"{}", copies.epoch)

    assert copies.get("a") is None
    assert copies.get("b") is not None


async def test_copies_are_dropped_and_unused_while_the_news_is_lost(
    client, js, pool, query_cache, valkey, student
):
    _, headers = student()
    assignment = uuid.uuid4()
    await publish(js, pool, query_cache, assignment, "Kept")
    tracker, copies = await live_parts(client)
    path = f"/api/assignments/{assignment}"
    await client.get(path, headers=headers)
    assert copies.get(str(assignment)) is not None
    lost = heard(tracker, "-")

    await valkey.execute_command("CLIENT", "KILL", "ID", tracker.client_id)
    await asyncio.wait_for(lost.wait(), WAIT_S)

    assert copies.answers == {}
    assert (await client.get(path, headers=headers)).json()["title"] == "Kept"  # routed
    assert await tracker.wait_live(WAIT_S)
    await client.get(path, headers=headers)
    assert copies.get(str(assignment)) is not None


async def test_after_seq_takes_the_routed_path_and_a_seq_cookie_does_not(
    client, js, pool, query_cache, student
):
    _, headers = student()
    assignment = uuid.uuid4()
    await publish(js, pool, query_cache, assignment, "Waited for")
    _, copies = await live_parts(client)
    path = f"/api/assignments/{assignment}"
    await client.get(path, headers=headers)
    marked = ([(b"content-type", b"application/json")], b'"copy"')

    copies.answers[str(assignment)] = marked
    routed = await client.get(path, headers=headers, params={"after_seq": 1})
    copies.answers[str(assignment)] = marked
    client.cookies.set("grindstone_seq", "1")  # a student's write: it changes no assignment
    copied = await client.get(path, headers=headers)

    assert routed.json()["title"] == "Waited for"
    assert copied.json() == "copy"
