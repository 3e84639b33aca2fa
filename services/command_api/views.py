"""Response bodies and cookies: the submission in its client shape, the session, the seq."""

from datetime import datetime
from uuid import UUID

import msgspec
from litestar.datastructures import Cookie

from common import auth
from events import Feedback, SubmissionCreated

SEQ_COOKIE = "grindstone_seq"
SESSION_MAX_AGE_S = auth.LIFETIME_S["student"]  # the student keeps their work across visits


class SubmissionView(msgspec.Struct, frozen=True, kw_only=True):
    """The client shape of docs/design.md, plus the stream seq the write reached."""

    id: UUID
    assignment_id: UUID
    code: str
    status: str
    feedback: Feedback | None
    created_at: datetime
    graded_at: datetime | None
    last_seq: int
    stream_seq: int


class SessionView(msgspec.Struct, frozen=True):
    user_id: UUID
    token: str


def submission(event: SubmissionCreated, seq: int) -> SubmissionView:
    reused = event.reused
    return SubmissionView(
        id=event.submission_id,
        assignment_id=event.assignment_id,
        code=event.code,
        status=reused.status if reused else "pending",
        feedback=reused.feedback if reused else None,
        created_at=event.occurred_at,
        graded_at=event.occurred_at if reused else None,
        last_seq=seq,
        stream_seq=seq,
    )


def seq_cookie(seq: int) -> Cookie:
    """Readable by the page and sent to the query API, which waits until it has caught up."""
    return Cookie(key=SEQ_COOKIE, value=str(seq), path="/", httponly=False, samesite="lax")


def session_cookie(token: str, secure: bool) -> Cookie:
    return Cookie(
        key=auth.COOKIE,
        value=token,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
        max_age=SESSION_MAX_AGE_S,
    )
