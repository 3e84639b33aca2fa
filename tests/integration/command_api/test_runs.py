"""POST /api/runs: an ungraded run is accepted and stored as RunRequested on its own subject;
each of its limits refuses with its own status; it is never a submission (no one-pending rule,
not listed, its own rate limit)."""

from uuid import UUID, uuid4

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from common import db
from common import nats as gnats
from common.cache import Cache
from events import AssignmentPublished, RunRequested, subjects
from services.command_api.app import create_app
from services.command_api.commands import MAX_CALL_CHARS, MAX_CODE_BYTES, MAX_STDIN_BYTES
from services.command_api.settings import Settings
from services.projector import runner, schema
from services.query_api.app import create_app as query_app
from services.query_api.settings import Settings as QuerySettings
from tests.conftest import SECRET
from tests.integration.command_api.helpers import appended, student

CODE = "def add(a, b):\n    return a + b\n"


def run_body(assignment: AssignmentPublished, **fields: object) -> dict[str, object]:
    return {"assignment_id": str(assignment.assignment_id), "code": CODE, **fields}


def assert_error(response, status: int, code: str, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    assert body["detail"].endswith(".") and all(word in body["detail"] for word in words)


@pytest.fixture
async def function(js, assignment) -> AssignmentPublished:
    """The conftest's module assignment, published again with the function its tests call."""
    return await publish(js, msgspec.structs.replace(assignment, entry_point="add"))


@pytest.fixture
async def program(js, assignment) -> AssignmentPublished:
    stdio = msgspec.structs.replace(
        assignment, assignment_id=uuid4(), test_style="stdio", content_sha256="b" * 64
    )
    return await publish(js, stdio)


async def publish(js, event: AssignmentPublished) -> AssignmentPublished:
    subject = subjects.assignment(event.assignment_id)
    await gnats.append(js, subject, event, msg_id=f"publish:{event.assignment_id}:{uuid4()}")
    return event


async def test_a_run_is_accepted_and_stored_as_run_requested(client, js, function):
    user_id, headers = student()
    body = run_body(function, stdin="1 2\n", call="  add(2, 3)\n")

    response = await client.post("/api/runs", json=body, headers=headers)

    assert response.status_code == 202, response.text
    accepted = response.json()
    assert set(accepted) == {"id", "status"} and accepted["status"] == "pending"
    seq = int(response.cookies["grindstone_seq"])
    event, stored_headers, subject = await appended(js, seq)
    assert isinstance(event, RunRequested)
    assert (event.run_id, event.user_id) == (UUID(accepted["id"]), user_id)
    assert (event.assignment_id, event.assignment_sha256) == (
        function.assignment_id, function.content_sha256,
    )  # fmt: skip
    assert (event.code, event.stdin, event.call) == (CODE, "1 2\n", "add(2, 3)")  # stripped
    assert subject == subjects.run(user_id, event.run_id)
    assert stored_headers["Event-Type"] == "RunRequested"
    assert stored_headers["Nats-Msg-Id"] == f"run:{event.run_id}"


async def test_a_program_runs_with_stdin_and_a_blank_call_is_no_call(client, js, program):
    _, headers = student()
    response = await client.post(
        "/api/runs", json=run_body(program, stdin="3\n", call="   "), headers=headers
    )
    assert response.status_code == 202, response.text
    event, _, _ = await appended(js, int(response.cookies["grindstone_seq"]))
    assert (event.stdin, event.call) == ("3\n", None)


async def test_each_run_is_a_new_run(client, function):
    _, headers = student()
    ids = {
        (await client.post("/api/runs", json=run_body(function), headers=headers)).json()["id"]
        for _ in range(3)
    }
    assert len(ids) == 3


async def test_code_over_64_kib_is_a_413(client, function):
    _, headers = student()
    code = "é" * (MAX_CODE_BYTES // 2 + 1)  # one character too many: in bytes, not characters
    response = await client.post("/api/runs", json=run_body(function, code=code), headers=headers)
    assert_error(response, 413, "too_large", "code", "65,538 bytes", "64 KiB")


async def test_stdin_over_64_kib_is_a_413(client, function):
    _, headers = student()
    stdin = "x" * (MAX_STDIN_BYTES + 1)
    response = await client.post("/api/runs", json=run_body(function, stdin=stdin), headers=headers)
    assert_error(response, 413, "too_large", "stdin", "64 KiB")


async def test_code_and_stdin_at_their_limits_are_accepted(client, function):
    _, headers = student()
    body = run_body(function, code="#" * MAX_CODE_BYTES, stdin="\n" * MAX_STDIN_BYTES)
    response = await client.post("/api/runs", json=body, headers=headers)
    assert response.status_code == 202, response.text


async def test_a_call_over_1000_characters_is_a_413(client, function):
    _, headers = student()
    call = "add(1, " + "1" * (MAX_CALL_CHARS - 7) + ")"
    assert len(call) == MAX_CALL_CHARS + 1
    response = await client.post("/api/runs", json=run_body(function, call=call), headers=headers)
    assert_error(response, 413, "too_large", "call", "1,000")
    at_most = call[:-2] + ")"
    response = await client.post(
        "/api/runs", json=run_body(function, call=at_most), headers=headers
    )
    assert response.status_code == 202, response.text


@pytest.mark.parametrize(
    "call", ["x = add(2, 3)", "add(2, 3); add(4, 5)", "import os", "add(2,", "(" * 300, "a\0"]
)
async def test_a_call_that_is_not_one_expression_is_a_422(client, function, call):
    _, headers = student()
    response = await client.post("/api/runs", json=run_body(function, call=call), headers=headers)
    assert_error(response, 422, "invalid_call", "one Python expression")


async def test_a_call_on_an_assignment_that_reads_stdin_is_a_422(client, program):
    _, headers = student()
    response = await client.post(
        "/api/runs", json=run_body(program, call="main()"), headers=headers
    )
    assert_error(response, 422, "call_refused", "reads standard input", "give stdin")


async def test_a_call_on_a_module_that_names_no_function_is_a_422(client, assignment):
    _, headers = student()  # the conftest's assignment: module tests, no entry point
    response = await client.post(
        "/api/runs", json=run_body(assignment, call="add(2, 3)"), headers=headers
    )
    assert_error(response, 422, "call_refused", "no function")


async def test_an_unknown_assignment_is_a_404(client, js):
    _, headers = student()
    body = {"assignment_id": str(uuid4()), "code": CODE}
    response = await client.post("/api/runs", json=body, headers=headers)
    assert_error(response, 404, "not_found", "no assignment")


async def test_without_a_session_a_run_is_a_401(client, function):
    response = await client.post("/api/runs", json=run_body(function))
    assert_error(response, 401, "unauthorized")


async def test_an_unknown_field_is_a_422(client, function):
    _, headers = student()
    body = run_body(function, language="python")
    response = await client.post("/api/runs", json=body, headers=headers)
    assert_error(response, 422, "invalid", "language")


async def test_the_31st_run_in_a_minute_is_a_429_naming_the_runs_limit(client, function):
    _, headers = student()
    statuses = [
        (await client.post("/api/runs", json=run_body(function), headers=headers)).status_code
        for _ in range(30)
    ]
    assert statuses == [202] * 30

    response = await client.post("/api/runs", json=run_body(function), headers=headers)

    assert_error(response, 429, "rate_limited", "run your code", "30 times a minute")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    _, another = student()
    assert (await client.post("/api/runs", json=run_body(function), headers=another)).is_success


async def test_runs_do_not_count_against_submissions_nor_submissions_against_runs(
    settings, function
):
    strict = msgspec.structs.replace(settings, rate_limit_per_minute=1, runs_per_minute=2)
    _, headers = student()
    submission = {"assignment_id": str(function.assignment_id), "code": CODE}
    async with AsyncTestClient(create_app(strict)) as client:
        runs = [
            (await client.post("/api/runs", json=run_body(function), headers=headers)).status_code
            for _ in range(2)
        ]
        submitted = await client.post("/api/submissions", json=submission, headers=headers)
        again = await client.post("/api/submissions", json=submission, headers=headers)
        third_run = await client.post("/api/runs", json=run_body(function), headers=headers)
    assert runs == [202, 202]
    assert submitted.status_code == 202, submitted.text  # two runs counted no submission
    assert_error(again, 429, "rate_limited", "You can submit at most 1 times")
    assert_error(third_run, 429, "rate_limited", "run your code at most 2 times")


@pytest.mark.parametrize("off", [{"rate_limit_per_minute": 0}, {"runs_per_minute": 0}])
async def test_a_limit_of_zero_turns_the_runs_limit_off(settings, function, off):
    unlimited = msgspec.structs.replace(settings, **{"runs_per_minute": 1, **off})
    _, headers = student()
    async with AsyncTestClient(create_app(unlimited)) as client:
        statuses = {
            (await client.post("/api/runs", json=run_body(function), headers=headers)).status_code
            for _ in range(3)
        }
    assert statuses == {202}


async def test_a_pending_run_does_not_block_a_submission_nor_a_pending_submission_a_run(
    client, function
):
    _, headers = student()
    submission = {"assignment_id": str(function.assignment_id), "code": CODE}
    assert (await client.post("/api/runs", json=run_body(function), headers=headers)).is_success

    submitted = await client.post("/api/submissions", json=submission, headers=headers)
    run_while_pending = await client.post("/api/runs", json=run_body(function), headers=headers)

    assert submitted.status_code == 202, submitted.text
    assert run_while_pending.status_code == 202, run_while_pending.text
    refused = await client.post("/api/submissions", json=submission, headers=headers)
    assert refused.status_code == 409  # the submission waits; the runs never did


async def test_a_run_is_not_listed_among_the_submissions(
    client, js, valkey, servers, database_url, function
):
    _, headers = student()
    run = await client.post("/api/runs", json=run_body(function), headers=headers)
    submission = {"assignment_id": str(function.assignment_id), "code": CODE}
    submitted = await client.post("/api/submissions", json=submission, headers=headers)
    pool = await db.open_pool(database_url, max_size=2)
    try:
        await schema.create(pool)
        await runner.catch_up(js, pool, Cache(valkey))
        reads = QuerySettings(
            database_url=database_url, valkey_url=servers.valkey_url, secret=SECRET
        )
        async with AsyncTestClient(query_app(reads)) as query:
            listed = (await query.get("/api/submissions", headers=headers)).json()
            ran = await query.get(f"/api/runs/{run.json()['id']}", headers=headers)
    finally:
        await pool.close()
    assert [item["id"] for item in listed["items"]] == [submitted.json()["id"]]
    assert ran.status_code == 200 and ran.json()["status"] == "pending"  # projected, apart


def test_the_limits_are_named_once():
    assert (MAX_CODE_BYTES, MAX_STDIN_BYTES, MAX_CALL_CHARS) == (65_536, 65_536, 1_000)
    assert Settings().runs_per_minute == 30
