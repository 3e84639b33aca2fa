"""HTTP routes, thin: who is asking -> command -> flow (decide and append) -> response."""

from typing import Any
from uuid import uuid4

from litestar import Request, Response, delete, post, route
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath

from common import auth, crosssite
from common.clientaddr import client_address
from common.http import ApiError
from services.command_api import flows, views
from services.command_api.commands import (
    MAX_BODY_BYTES,
    body_too_large,
    parse_submission_id,
    parse_submit,
    submission_id_for,
)
from services.command_api.flows import Backend
from services.command_api.ratelimit import RateLimiter
from services.command_api.settings import Settings


async def _body(request: Request[Any, Any, Any]) -> bytes:
    try:
        return await request.body()
    except RequestEntityTooLarge as exc:
        raise body_too_large() from exc


def _address(request: Request[Any, Any, Any]) -> str:
    return client_address(request.headers, request.client.host if request.client else None)


@post("/api/sessions", status_code=201)
async def post_session(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    limiter: NamedDependency[RateLimiter],
) -> Response[views.SessionView]:
    """A new anonymous student (201); a caller who already has a valid session keeps it, with
    its token renewed (200): a page elsewhere cannot swap a student's session for another."""
    who = auth.from_request(
        settings.secret, request.headers.get("authorization"), request.cookies.get(auth.COOKIE)
    )
    status = 200 if who is not None else 201
    if who is None:
        await limiter.session(_address(request))
    who = who or auth.Identity(uuid4(), "student")
    token = auth.issue(settings.secret, who)
    secure = settings.cookie_secure or crosssite.is_https(request.headers, request.url.scheme)
    return Response(
        views.SessionView(who.user_id, token),
        status_code=status,
        cookies=[views.session_cookie(token, secure)],
    )


@post("/api/submissions", status_code=202, request_max_body_size=MAX_BODY_BYTES)
async def post_submission(
    request: Request[Any, Any, Any],
    student: NamedDependency[auth.Identity],
    backend: NamedDependency[Backend],
    limiter: NamedDependency[RateLimiter],
) -> Response[views.SubmissionView]:
    await limiter.submission(student.user_id, _address(request))
    key = request.headers.get("idempotency-key")
    submission_id = submission_id_for(student.user_id, key)
    command = parse_submit(await _body(request))
    event, seq = await flows.submit(
        backend,
        command,
        user_id=student.user_id,
        submission_id=submission_id,
        keyed=key is not None,
    )
    return Response(views.submission(event, seq), status_code=202, cookies=[views.seq_cookie(seq)])


@delete("/api/submissions/{submission_id:str}", status_code=204)
async def delete_submission(
    submission_id: FromPath[str],
    student: NamedDependency[auth.Identity],
    backend: NamedDependency[Backend],
) -> Response[None]:
    command = parse_submission_id(submission_id)
    seq = await flows.delete(backend, command, user_id=student.user_id)
    return Response(None, status_code=204, cookies=[views.seq_cookie(seq)])


@route("/api/command/health", http_method=["GET", "HEAD", "POST"], status_code=200)
async def command_health(state: State) -> dict[str, bool]:
    """Readiness: ready once connected to NATS (the event store every command needs)."""
    if not state.nc.is_connected:
        raise ApiError(503, "unavailable", "The command API is not connected to NATS yet.")
    return {"ok": True}


ROUTES = [post_session, post_submission, delete_submission, command_health]
