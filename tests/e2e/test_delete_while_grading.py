"""Deleting a submission while the real grader grades it: the student's slot stays taken until
its verdict is on the stream, and the deleted submission never shows again, over HTTP or /ws."""

import asyncio
import json

import httpx
import nats
import websockets

from common import auth
from common import nats as gnats
from events import SubmissionGraded, codec, subjects
from tests.e2e.conftest import curriculum_record
from tests.e2e.test_whole_loop import WS_TIMEOUT_S, first_assignment, new_student, ws_url

SLOW = "import time\ntime.sleep(2)\n"  # graded well after the delete that follows its start
SUBMITS = 1000  # at most, while the slow program runs


async def until(ws, want) -> list[dict]:
    """Messages from the socket up to and with the first that `want` accepts."""
    seen = []
    async with asyncio.timeout(WS_TIMEOUT_S):
        async for raw in ws:
            seen.append(json.loads(raw))
            if want(seen[-1]):
                return seen
    raise AssertionError(f"the socket closed first: {seen}")


async def test_a_deletion_during_grading_holds_the_slot_until_the_verdict(system):
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        token = await new_student(http)
        user_id = auth.verify(system.env["GRINDSTONE_SECRET"], token).user_id  # type: ignore[union-attr]
        http.headers["Authorization"] = f"Bearer {token}"
        assignment = await first_assignment(http)
        solution = curriculum_record(assignment["title"])["solution"]
        nc = await nats.connect(system.urls["nats_url"])
        js = nc.jetstream()

        async def verdict_appended(sid: str) -> bool:
            last = await gnats.last_message(js, subjects.submission(user_id, sid))
            return last is not None and isinstance(
                codec.decode(last.data, last.headers), SubmissionGraded
            )

        async with websockets.connect(ws_url(system, token)) as ws:
            body = {"assignment_id": assignment["id"], "code": SLOW + solution}
            sid = (await http.post("/api/submissions", json=body)).json()["id"]
            await until(ws, lambda m: m["type"] == "submission.grading")
            assert (await http.delete(f"/api/submissions/{sid}")).status_code == 204
            answers = []  # (verdict on the stream before the submit, status, and after it)
            for _ in range(SUBMITS):
                before = await verdict_appended(sid)
                again = await http.post("/api/submissions", json={**body, "code": solution})
                answers.append((before, again.status_code, await verdict_appended(sid)))
                if again.status_code != 409:
                    break
                await asyncio.sleep(0.02)
            assert answers[0] == (False, 409, answers[0][2]), answers  # it was still grading
            assert answers[-1][1:] == (202, True), answers  # and 202 once its verdict was in
            assert not [a for a in answers if a[0] and a[1] == 409], answers  # verdict in: 202
            new = again.json()["id"]
            heard = await until(ws, lambda m: m["submission"]["id"] == new)
        await nc.close()
        deleted = [m["type"] for m in heard if m["submission"]["id"] == sid]
        assert deleted == ["submission.deleted"]  # and no verdict after it
        listed = (await http.get("/api/submissions")).json()["items"]
        assert [item["id"] for item in listed] == [new]
        assert (await http.get(f"/api/submissions/{sid}")).status_code == 404
        async with websockets.connect(ws_url(system, token, after=0)) as replay:
            replayed = await until(replay, lambda m: m["submission"]["id"] == new)
        assert "submission.graded" not in [
            m["type"] for m in replayed if m["submission"]["id"] == sid
        ]
