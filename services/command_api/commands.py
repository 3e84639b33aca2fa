"""The commands clients send. Litestar decodes a body into one (common.http.JsonRequest: 400
for bad JSON, 422 for a wrong shape); the code's size in bytes is checked here (413)."""

import hashlib
from uuid import UUID, uuid4, uuid5

import msgspec

from common.http import ApiError

MAX_CODE_BYTES = 65_536  # 64 KiB of UTF-8
MAX_BODY_BYTES = 262_144  # the whole request: code plus JSON escaping headroom

MAX_KEY_CHARS = 255  # of an Idempotency-Key
# fixed for good: a key's submission id is uuid5(IDEMPOTENCY_NAMESPACE, "<user id>:<key>")
IDEMPOTENCY_NAMESPACE = UUID("6f1d3a0c-2b7e-5f4a-9c58-1d2e3f4a5b6c")


class SubmitSolution(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A student's program for an assignment; `code` is at most 64 KiB of UTF-8 (else 413)."""

    assignment_id: UUID
    code: str


class DeleteSubmission(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    submission_id: UUID


def code_sha256(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_code_size(command: SubmitSolution) -> SubmitSolution:
    """The code limit is in bytes of UTF-8, which a schema's length (in characters) cannot say."""
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


def parse_submission_id(raw: str) -> DeleteSubmission:
    try:
        return DeleteSubmission(submission_id=UUID(raw))
    except ValueError as exc:
        raise ApiError(404, "not_found", "You have no submission with that id.") from exc
