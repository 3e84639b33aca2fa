"""The commands clients send. Litestar decodes a body into one (common.http.JsonRequest: 400
for bad JSON, 422 for a wrong shape); sizes in bytes are checked here (413), and a run's call
must be one expression (422)."""

import ast
import hashlib
from uuid import UUID, uuid4, uuid5

import msgspec

from common.http import ApiError

MAX_CODE_BYTES = 65_536  # 64 KiB of UTF-8
MAX_BODY_BYTES = 262_144  # the whole request: code plus JSON escaping headroom

# an ungraded run (POST /api/runs): its code as above, what it reads and the call it makes
MAX_STDIN_BYTES = 65_536  # 64 KiB of UTF-8
MAX_CALL_CHARS = 1_000
MAX_RUN_BODY_BYTES = 2 * MAX_BODY_BYTES  # code and stdin, each with its escaping headroom

MAX_KEY_CHARS = 255  # of an Idempotency-Key
# fixed for good: a key's submission id is uuid5(IDEMPOTENCY_NAMESPACE, "<user id>:<key>")
IDEMPOTENCY_NAMESPACE = UUID("6f1d3a0c-2b7e-5f4a-9c58-1d2e3f4a5b6c")


class SubmitSolution(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A student's program for an assignment; `code` is at most 64 KiB of UTF-8 (else 413)."""

    assignment_id: UUID
    code: str


class RunCode(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Run a student's code without submitting it: with `stdin`, or (a function assignment) a
    `call` of one expression such as `add(2, 3)`; a blank call is no call."""

    assignment_id: UUID
    code: str
    stdin: str = ""
    call: str | None = None


class DeleteSubmission(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    submission_id: UUID


def code_sha256(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def check_code_size(command: SubmitSolution) -> SubmitSolution:
    """The code limit is in bytes of UTF-8, which a schema's length (in characters) cannot say."""
    _check_bytes("code", command.code, MAX_CODE_BYTES)
    return command


def _check_bytes(what: str, text: str, most: int) -> None:
    size = len(text.encode())
    if size > most:
        raise ApiError(
            413,
            "too_large",
            f"The {what} is {size:,} bytes; at most {most:,} bytes ({most // 1024} KiB) "
            "are accepted.",
        )


def check_run(command: RunCode) -> RunCode:
    """Code and stdin within their sizes (413), a call within its length (413) and one Python
    expression (422); the call comes back stripped, or None when blank."""
    _check_bytes("code", command.code, MAX_CODE_BYTES)
    _check_bytes("stdin", command.stdin, MAX_STDIN_BYTES)
    call = (command.call or "").strip() or None
    if call is not None:
        if len(call) > MAX_CALL_CHARS:
            raise ApiError(
                413,
                "too_large",
                f"The call is {len(call):,} characters; at most {MAX_CALL_CHARS:,} are accepted.",
            )
        _check_expression(call)
    return msgspec.structs.replace(command, call=call)


def _check_expression(call: str) -> None:
    """Parsed only, never run here: the grader evaluates it in its sandbox."""
    try:
        ast.parse(call, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ApiError(
            422,
            "invalid_call",
            "The call must be one Python expression, such as `add(2, 3)` "
            f"(no statements, no assignments): {_why(exc)}.",
        ) from None


def _why(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.msg:
        return exc.msg
    return "it nests too deeply" if isinstance(exc, RecursionError | MemoryError) else str(exc)


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
