"""A client that sends no cookies (a Bearer token only) reads its own writes at once: after a
2xx POST or DELETE, its next GET reflects it."""

import httpx

from tests.e2e.conftest import curriculum_record
from tests.e2e.test_whole_loop import first_assignment, new_student

ROUNDS = 25


async def test_a_bearer_client_reads_its_own_posts_and_deletes(system):
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        token = await new_student(http)
        auth = {"Authorization": f"Bearer {token}"}
        assignment = await first_assignment(http)
        body = {
            "assignment_id": assignment["id"],
            "code": curriculum_record(assignment["title"])["solution"],
        }

        async def call(method: str, path: str, **kw) -> httpx.Response:
            http.cookies.clear()  # a script's client: the token and nothing else
            return await http.request(method, path, headers=auth, **kw)

        first = await call("POST", "/api/submissions", json=body)
        assert first.status_code == 202
        for _ in range(200):  # its verdict, so that the same code is then graded at once
            if (await call("GET", f"/api/submissions/{first.json()['id']}")).json()[
                "status"
            ] == "passed":
                break
        for _ in range(ROUNDS):
            posted = await call("POST", "/api/submissions", json=body)
            assert posted.status_code == 202, posted.text
            sid = posted.json()["id"]
            listed = (await call("GET", "/api/submissions")).json()["items"]
            assert listed[0]["id"] == sid
            assert (await call("DELETE", f"/api/submissions/{sid}")).status_code == 204
            listed = (await call("GET", "/api/submissions")).json()["items"]
            assert sid not in [item["id"] for item in listed]
            assert (await call("GET", f"/api/submissions/{sid}")).status_code == 404
