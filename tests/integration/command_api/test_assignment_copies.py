"""The command API's copy of the published assignments: filled from the stream's last publish of
each, following new ones, and falling back to the stream for what it does not hold yet."""

import asyncio
import time
from datetime import UTC, datetime
from uuid import uuid4

import msgspec

from common import nats as gnats
from events import AssignmentPublished, codec, subjects
from services.command_api import assignments


def version(of: AssignmentPublished, n: int) -> AssignmentPublished:
    return msgspec.structs.replace(
        of, occurred_at=datetime.now(UTC), handout=f"v{n}", content_sha256=f"{n}" * 64
    )


async def publish(js, event: AssignmentPublished) -> None:
    subject = subjects.assignment(event.assignment_id)
    await gnats.append(js, subject, event, msg_id=f"{event.assignment_id}:{event.content_sha256}")


async def until(condition) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "it did not happen"
        await asyncio.sleep(0.01)


async def test_the_copy_holds_the_last_publish_of_each_and_follows_new_ones(js, assignment):
    await publish(js, version(assignment, 2))
    copies = await assignments.started(js)
    try:
        await until(lambda: copies.complete)
        assert copies.kept[assignment.assignment_id].handout == "v2"
        assert (await copies.published(assignment.assignment_id)).handout == "v2"
        await publish(js, version(assignment, 3))
        await until(lambda: copies.kept[assignment.assignment_id].handout == "v3")
        other = msgspec.structs.replace(assignment, assignment_id=uuid4())
        await publish(js, other)
        await until(lambda: other.assignment_id in copies.kept)
    finally:
        await copies.stop()


async def test_what_the_copy_lacks_is_read_from_the_stream(js, assignment):
    copies = assignments.Assignments(js)  # never started: no copy at all
    assert (await copies.published(assignment.assignment_id)) == assignment
    assert await copies.published(uuid4()) is None


async def test_an_unreadable_publish_is_passed_over_and_the_copy_goes_on(js, assignment):
    copies = await assignments.started(js)
    try:
        await until(lambda: assignment.assignment_id in copies.kept)
        headers = codec.encode(assignment)[1]
        subject = subjects.assignment(assignment.assignment_id)
        await js.publish(subject, b'{"garbage": tru', headers=headers)
        await publish(js, version(assignment, 4))
        await until(lambda: copies.kept[assignment.assignment_id].handout == "v4")
    finally:
        await copies.stop()
