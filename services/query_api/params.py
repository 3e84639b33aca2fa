"""Query parameters, cookies and cursors: client text -> values, or a JSON 400/422."""

import base64
import binascii
import json
from datetime import datetime
from uuid import UUID

from common.http import ApiError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
SEQ_COOKIE = "grindstone_seq"

Cursor = tuple[datetime, UUID]


def _integer(name: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiError(400, "bad_request", f"`{name}` must be a whole number.") from None


def limit(text: str | None) -> int:
    if text is None:
        return DEFAULT_LIMIT
    value = _integer("limit", text)
    if not 1 <= value <= MAX_LIMIT:
        raise ApiError(422, "invalid", f"`limit` must be between 1 and {MAX_LIMIT}.")
    return value


def after_seq(text: str | None, cookie: str | None) -> int:
    """The stream sequence the caller wants to read after: the parameter and the cookie that
    command_api sets on every write; a malformed cookie counts as absent."""
    wanted = 0 if text is None else _integer("after_seq", text)
    if wanted < 0:
        raise ApiError(422, "invalid", "`after_seq` must not be negative.")
    if cookie and cookie.isdigit():
        wanted = max(wanted, int(cookie))
    return wanted


def uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def assignment_filter(text: str | None) -> UUID | None:
    if text is None or text == "":
        return None
    value = uuid_or_none(text)
    if value is None:
        raise ApiError(400, "bad_request", "`assignment_id` must be an assignment id (a UUID).")
    return value


def encode_cursor(created_at: str, submission_id: str) -> str:
    raw = json.dumps([created_at, submission_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(text: str | None) -> Cursor | None:
    if text is None or text == "":
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        created_at, submission_id = json.loads(raw)
        when = datetime.fromisoformat(created_at)
        if when.tzinfo is None:
            raise ValueError(created_at)
        return when, UUID(submission_id)
    except (ValueError, TypeError, AttributeError, RecursionError, binascii.Error):
        raise ApiError(400, "bad_request", "`cursor` is not one this API gave out.") from None
