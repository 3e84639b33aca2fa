"""Any character a student writes or prints goes through the whole loop and comes back exactly:
the HTTP API, the live updates, the verdict (docs/design.md, "Characters")."""

import json

import httpx
import pytest
import websockets

from tests.e2e.test_whole_loop import first_assignment, messages_until_graded, new_student, ws_url
from tests.odd_characters import ODD

COMMENT = "".join(c for c in ODD if c not in "\0\r\n")  # Python source cannot hold these raw
ODD_PROGRAM = (
    f"TEXT = {ODD!r}  # {COMMENT}\n"
    "def count_vowels(text):\n"
    f"    print(TEXT, end='')  # {COMMENT}\n"
    "    return -1\n"
)
VOWELS = "Count the vowels"  # a function assignment: each test keeps what the call printed


@pytest.fixture
async def student(system):
    async with httpx.AsyncClient(base_url=system.url, timeout=10) as http:
        token = await new_student(http)
        http.headers["Authorization"] = f"Bearer {token}"
        yield http, token


async def assignment_titled(http: httpx.AsyncClient, title: str) -> dict:
    listing = (await http.get("/api/assignments")).json()
    return next(a for a in listing if a["title"] == title)


async def submit_and_hear(system, student, code: str) -> tuple[dict, list[dict]]:
    http, token = student
    assignment = await assignment_titled(http, VOWELS)
    async with websockets.connect(ws_url(system, token)) as ws:
        posted = await http.post(
            "/api/submissions", json={"assignment_id": assignment["id"], "code": code}
        )
        assert posted.status_code == 202, posted.text
        assert posted.json()["code"] == code
        pushed = await messages_until_graded(ws, posted.json()["id"])
    read = await http.get(
        f"/api/submissions/{posted.json()['id']}", params={"after_seq": pushed[-1]["seq"]}
    )
    assert read.status_code == 200
    return read.json(), pushed


async def test_odd_characters_in_code_and_output_come_back_exactly(system, student):
    read, pushed = await submit_and_hear(system, student, ODD_PROGRAM)
    assert read["code"] == ODD_PROGRAM
    assert all(m["submission"]["code"] == ODD_PROGRAM for m in pushed)
    tests = read["feedback"]["tests"]
    assert tests and all(t["output"] == ODD for t in tests), read["feedback"]
    assert pushed[-1]["submission"]["feedback"] == read["feedback"]
    listed = (await student[0].get("/api/submissions")).json()["items"]
    assert listed[0]["code"] == ODD_PROGRAM


async def test_a_nul_in_the_code_gets_a_verdict_that_says_where(system, student):
    read, _ = await submit_and_hear(system, student, "print(1)\0")
    assert read["code"] == "print(1)\0"
    assert read["status"] == "failed"
    assert "line 1, column 9 holds a NUL character" in json.dumps(read["feedback"])


@pytest.mark.parametrize(
    ("code", "said"),
    [
        (b'print(\\"\\ud800\\")', b"alone, it is no character"),
        (b"\\udfff", b"alone, it is no character"),
        (b"x\\ud800", b"alone, it is no character"),  # msgspec says "truncated"
        (b"print(1)\xff", b"can't decode byte 0xff"),  # not UTF-8
    ],
)
async def test_text_that_is_no_unicode_is_refused_with_a_sentence(system, student, code, said):
    http, _ = student
    assignment = await first_assignment(http)
    body = b'{"assignment_id": "%s", "code": "%s"}' % (assignment["id"].encode(), code)
    posted = await http.post(
        "/api/submissions", content=body, headers={"Content-Type": "application/json"}
    )
    assert posted.status_code == 400, posted.text
    assert posted.json()["error"] == "malformed_json"
    assert said.decode() in posted.json()["detail"]
