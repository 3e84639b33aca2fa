"""The command API's appends keep every subject's hash chain single (issue 11 item 4): students
submitting and deleting at once, the same key sent twice at once, then `audit verify` is clean."""

import asyncio
import json

from grindstone_cli import audit
from services.command_api.app import create_app
from tests.integration.command_api.helpers import in_this_loop, student

CODE = "def add(a, b):\n    return a + b\n"


async def test_concurrent_submissions_and_deletions_leave_chains_that_verify(
    settings, js, assignment, capsys
):
    students = [student() for _ in range(6)]

    async def work(client, headers, n):
        keyed = {**headers, "Idempotency-Key": f"key-{n}"}
        body = {"assignment_id": str(assignment.assignment_id), "code": f"{CODE}# {n}\n"}
        answers = await asyncio.gather(
            *(client.post("/api/submissions", json=body, headers=keyed) for _ in range(3))
        )  # one submission (a new subject, chained to GENESIS); the twins get its answer
        made = answers[0].json()["id"]
        await asyncio.gather(
            client.delete(f"/api/submissions/{made}", headers=headers),
            client.delete(f"/api/submissions/{made}", headers=headers),
        )  # one deletion appended, the other refused or the same

    async with in_this_loop(create_app(settings)) as client:
        await asyncio.gather(*(work(client, h, n) for n, (_, h) in enumerate(students)))
        rival = {"assignment_id": str(assignment.assignment_id), "code": CODE}
        await asyncio.gather(
            *(client.post("/api/submissions", json=rival, headers=h) for _, h in students)
        )

    status = await audit.verify(js, [], None, as_json=True)
    document = json.loads(capsys.readouterr().out)
    assert (status, document["findings"]) == (0, [])
    assert document["events"] >= 1 + 2 * len(students)  # the assignment, creations, deletions
