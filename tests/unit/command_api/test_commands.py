"""Parsing a request body into a command: 400 for bad JSON, 422 for a wrong shape, 413 for size."""

from uuid import uuid4

import msgspec
import pytest

from common.http import ApiError
from services.command_api.commands import (
    MAX_CODE_BYTES,
    SubmitSolution,
    code_sha256,
    parse_submission_id,
    parse_submit,
)

ASSIGNMENT = uuid4()


def body(**fields) -> bytes:
    return msgspec.json.encode({"assignment_id": str(ASSIGNMENT), "code": "x = 1", **fields})


def refusal(raw: bytes) -> ApiError:
    with pytest.raises(ApiError) as refused:
        parse_submit(raw)
    return refused.value


def test_a_well_formed_body_becomes_submit_solution():
    assert parse_submit(body()) == SubmitSolution(ASSIGNMENT, "x = 1")


@pytest.mark.parametrize("raw", [b"", b"{", b"nope", b'{"code": "x"', b'"\xff"'])
def test_bad_json_is_a_400(raw):
    error = refusal(raw)
    assert (error.status_code, error.code) == (400, "malformed_json")


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"a": ' * 50_000, b"[" * 5000 + b"]" * 5000])
def test_json_nested_too_deeply_is_a_400_not_a_crash(raw):
    error = refusal(raw)
    assert (error.status_code, error.code) == (400, "malformed_json")
    assert "too deeply" in error.detail


@pytest.mark.parametrize(
    "raw",
    [
        b"[]",
        b"null",
        b'{"code": "x"}',
        body(code=3),
        body(assignment_id="nope"),
        body(extra=True),
    ],
)
def test_json_of_the_wrong_shape_is_a_422(raw):
    error = refusal(raw)
    assert (error.status_code, error.code) == (422, "invalid")
    assert error.detail.startswith("The request body is not a valid submission")


def test_the_limit_counts_utf8_bytes_not_characters():
    at_limit = "é" * (MAX_CODE_BYTES // 2)
    assert parse_submit(body(code=at_limit)).code == at_limit
    error = refusal(body(code=at_limit + "x"))
    assert (error.status_code, error.code) == (413, "too_large")


def test_the_code_hash_is_sha256_hex_of_the_utf8_code():
    assert code_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_a_submission_id_that_is_not_a_uuid_is_a_404():
    with pytest.raises(ApiError) as refused:
        parse_submission_id("../etc")
    assert refused.value.status_code == 404
