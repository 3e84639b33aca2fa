"""A request body becomes a command: 400 for bad JSON, 422 for a wrong shape, 413 for size.
Litestar decodes it through common.http.JsonRequest into the handler's `data:` Struct; a tiny
app with the command API's own Struct shows each answer."""

from uuid import uuid4

import msgspec
import pytest
from litestar import Litestar, post
from litestar.params import JSONBody
from litestar.testing import TestClient

from common import http
from common.http import ApiError
from services.command_api.commands import (
    MAX_CALL_CHARS,
    MAX_CODE_BYTES,
    MAX_STDIN_BYTES,
    RunCode,
    SubmitSolution,
    check_code_size,
    check_run,
    code_sha256,
    parse_submission_id,
)

ASSIGNMENT = uuid4()


def body(**fields) -> bytes:
    return msgspec.json.encode({"assignment_id": str(ASSIGNMENT), "code": "x = 1", **fields})


@post("/submit", request_max_body_size=1_000_000, sync_to_thread=False)
def submit(data: JSONBody[SubmitSolution]) -> dict[str, str]:
    return {"code": check_code_size(data).code}


@pytest.fixture(scope="module")
def client():
    app = Litestar(
        [submit], exception_handlers=http.EXCEPTION_HANDLERS, request_class=http.JsonRequest
    )
    with TestClient(app) as client:
        yield client


def answer(client, raw: bytes) -> tuple[int, str, str]:
    response = client.post("/submit", content=raw, headers={"Content-Type": "application/json"})
    data = response.json()
    return response.status_code, data.get("error", ""), data.get("detail", data.get("code"))


def test_a_well_formed_body_becomes_submit_solution(client):
    assert answer(client, body()) == (201, "", "x = 1")


@pytest.mark.parametrize("raw", [b"", b"  ", b"{", b"nope", b'{"code": "x"', b'"\xff"'])
def test_bad_json_is_a_400(client, raw):
    status, code, detail = answer(client, raw)
    assert (status, code) == (400, "malformed_json")
    assert detail.endswith(".")


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"a": ' * 50_000, b"[" * 5000 + b"]" * 5000])
def test_json_nested_too_deeply_is_a_400_not_a_crash(raw):
    with pytest.raises(ApiError) as refused:
        http.decode_json(raw)
    assert (refused.value.status_code, refused.value.code) == (400, "malformed_json")
    assert "too deeply" in refused.value.detail


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b"[]", "object"),
        (b"null", "object"),
        (b'{"code": "x"}', "assignment_id"),
        (body(code=3), "code"),
        (body(assignment_id="nope"), "assignment_id"),
        (body(extra=True), "extra"),
    ],
)
def test_json_of_the_wrong_shape_is_a_422_naming_what_is_wrong(client, raw, named):
    status, code, detail = answer(client, raw)
    assert (status, code) == (422, "invalid")
    assert detail.startswith("The request body is not valid: ")
    assert named in detail


def test_the_limit_counts_utf8_bytes_not_characters(client):
    at_limit = "é" * (MAX_CODE_BYTES // 2)
    assert answer(client, body(code=at_limit))[:2] == (201, "")
    assert answer(client, body(code=at_limit + "x"))[:2] == (413, "too_large")


def test_the_code_hash_is_sha256_hex_of_the_utf8_code():
    assert code_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_a_submission_id_that_is_not_a_uuid_is_a_404():
    with pytest.raises(ApiError) as refused:
        parse_submission_id("../etc")
    assert refused.value.status_code == 404


def run(**fields) -> RunCode:
    return RunCode(**{"assignment_id": ASSIGNMENT, "code": "x = 1", **fields})


@pytest.mark.parametrize(
    ("call", "kept"),
    [(None, None), ("", None), (" \n\t", None), ("  add(2, 3)\n", "add(2, 3)"),
     ("add(2,\n    3)", "add(2,\n    3)"), ("[x for x in 'ab']", "[x for x in 'ab']")],
)  # fmt: skip
def test_a_run_keeps_one_expression_stripped_and_a_blank_call_is_none(call, kept):
    assert check_run(run(call=call)).call == kept


@pytest.mark.parametrize(
    "call", ["x = 1", "1; 2", "def f(): pass", "del x", "(" * 250, "-" * 300 + "(", "f(\0)"]
)
def test_a_call_that_is_not_one_expression_is_a_422_saying_why(call):
    with pytest.raises(ApiError) as refused:
        check_run(run(call=call))
    assert (refused.value.status_code, refused.value.code) == (422, "invalid_call")
    assert refused.value.detail.startswith("The call must be one Python expression")


@pytest.mark.parametrize(
    ("fields", "named"),
    [({"code": "é" * (MAX_CODE_BYTES // 2) + "x"}, "The code is 65,537 bytes"),
     ({"stdin": "\n" * (MAX_STDIN_BYTES + 1)}, "The stdin is 65,537 bytes"),
     ({"call": "f(" + "1" * (MAX_CALL_CHARS - 2) + ")"}, "The call is 1,001 characters")],
)  # fmt: skip
def test_each_run_limit_is_a_413_naming_its_field(fields, named):
    with pytest.raises(ApiError) as refused:
        check_run(run(**fields))
    assert (refused.value.status_code, refused.value.code) == (413, "too_large")
    assert refused.value.detail.startswith(named)


def test_a_run_at_each_limit_passes():
    at_limits = run(
        code="é" * (MAX_CODE_BYTES // 2),
        stdin="\n" * MAX_STDIN_BYTES,
        call="f(" + "1" * (MAX_CALL_CHARS - 3) + ")",
    )
    assert check_run(at_limits) == at_limits
