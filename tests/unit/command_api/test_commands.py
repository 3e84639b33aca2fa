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
    MAX_CODE_BYTES,
    SubmitSolution,
    check_code_size,
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
