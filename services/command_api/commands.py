"""The commands clients send, and how a request body becomes one (or a 400/413/422)."""

import hashlib
from typing import TypeVar
from uuid import UUID, uuid4, uuid5

import msgspec

from common.http import TOO_DEEP, ApiError

MAX_CODE_BYTES = 65_536  # 64 KiB of UTF-8
MAX_BODY_BYTES = 262_144  # the whole request: code plus JSON escaping headroom

MAX_KEY_CHARS = 255  # of an Idempotency-Key
# fixed for good: a key's submission id is uuid5(IDEMPOTENCY_NAMESPACE, "<user id>:<key>")
IDEMPOTENCY_NAMESPACE = UUID("6f1d3a0c-2b7e-5f4a-9c58-1d2e3f4a5b6c")

C = TypeVar("C", bound=msgspec.Struct)


class SubmitSolution(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    assignment_id: UUID
    code: str


class DeleteSubmission(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    submission_id: UUID


def code_sha256(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def parse(body: bytes, command: type[C], what: str) -> C:
    """Decode in two steps so that bad JSON (400) and a wrong shape (422) stay apart."""
    try:
        raw = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        detail = f"The request body is not valid JSON ({exc})."
        if b"\\ud" in body.lower():  # msgspec may call a lone surrogate "truncated"
            detail += " A \\uD800-\\uDFFF escape must be half of a pair: alone, it is no character."
        raise ApiError(400, "malformed_json", detail) from exc
    except RecursionError:
        raise ApiError(400, "malformed_json", TOO_DEEP) from None
    try:
        return msgspec.convert(raw, command)
    except msgspec.ValidationError as exc:
        raise ApiError(422, "invalid", f"The request body is not a valid {what}: {exc}.") from exc


def parse_submit(body: bytes) -> SubmitSolution:
    command = parse(body, SubmitSolution, "submission")
    size = len(command.code.encode())
    if size > MAX_CODE_BYTES:
        raise ApiError(
            413,
            "too_large",
            f"The code is {size:,} bytes; at most {MAX_CODE_BYTES:,} bytes (64 KiB) are accepted.",
        )
    return command


def submission_id_for(user_id: UUID, key: str | None) -> UUID:
    """The id of the submission a request makes: new each time, or fixed by its student's
    Idempotency-Key, so that a retry names the same submission."""
    if key is None:
        return uuid4()
    if not (1 <= len(key) <= MAX_KEY_CHARS and all(" " <= c <= "~" for c in key)):
        raise ApiError(
            400,
            "bad_idempotency_key",
            f"The Idempotency-Key header must be 1 to {MAX_KEY_CHARS} printable ASCII characters "
            "(a UUID is a good choice).",
        )
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{user_id}:{key}")


def body_too_large() -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"The request body is over {MAX_BODY_BYTES // 1024} KiB; "
        f"code may be at most {MAX_CODE_BYTES // 1024} KiB.",
    )


def parse_submission_id(raw: str) -> DeleteSubmission:
    try:
        return DeleteSubmission(submission_id=UUID(raw))
    except ValueError as exc:
        raise ApiError(404, "not_found", "You have no submission with that id.") from exc
