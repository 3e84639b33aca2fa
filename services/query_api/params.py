"""Paging limits, the seq cookie and cursors: client text -> values, or a JSON 400. Typed
query parameters (`limit`, `after_seq`, `assignment_id`) are checked by Litestar."""

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


def after_seq(asked: int, cookie: str | None) -> int:
    """The stream sequence the caller wants to read after: the parameter and the cookie that
    command_api sets on every write; a malformed cookie counts as absent."""
    if cookie and cookie.isdigit():
        return max(asked, int(cookie))
    return asked


def uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


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
