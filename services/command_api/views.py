"""Response bodies and cookies: a written submission in its client shape, the session, the seq."""

import msgspec
from litestar.datastructures import Cookie

from common import auth, shapes
from common.shapes import WrittenSubmission
from events import SubmissionCreated, fold

SEQ_COOKIE = "grindstone_seq"
SESSION_MAX_AGE_S = auth.LIFETIME_S["student"]  # the student keeps their work across visits


def submission(event: SubmissionCreated, seq: int) -> WrittenSubmission:
    shape = shapes.submission(fold.created(event, seq))
    return WrittenSubmission(**msgspec.structs.asdict(shape), stream_seq=seq)


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
