"""HTTP routes, thin: who is asking -> command -> flow (decide and append) -> response."""

from typing import Annotated, Any
from uuid import uuid4

from litestar import Request, Response, delete, post, route
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody

from common import auth, crosssite, shapes
from common.clientaddr import client_address
from common.http import ApiError, errors
from services.command_api import flows, views
from services.command_api.commands import (
    MAX_BODY_BYTES,
    MAX_RUN_BODY_BYTES,
    RunCode,
    SubmitSolution,
    check_code_size,
    check_run,
    parse_submission_id,
    submission_id_for,
)
from services.command_api.flows import Backend
from services.command_api.ratelimit import RateLimiter
from services.command_api.settings import Settings


def _address(request: Request[Any, Any, Any]) -> str:
    return client_address(request.headers, request.client.host if request.client else None)


@post(
    "/api/sessions",
    status_code=201,
    responses={
        200: ResponseSpec(shapes.Session, description="The session held, renewed."),
        **errors(403, 415, 429, 503),
    },
)
async def post_session(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    limiter: NamedDependency[RateLimiter],
) -> Response[shapes.Session]:
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
        shapes.Session(who.user_id, token),
        status_code=status,
        cookies=[views.session_cookie(token, secure)],
    )


@post(
    "/api/submissions",
    status_code=202,
    request_max_body_size=MAX_BODY_BYTES,
    responses=errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
)
async def post_submission(
    request: Request[Any, Any, Any],
    data: JSONBody[SubmitSolution],
    student: NamedDependency[auth.Identity],
    backend: NamedDependency[Backend],
    limiter: NamedDependency[RateLimiter],
    idempotency_key: Annotated[
        str | None,
        HeaderParameter(
            name="idempotency-key",
            description="The same key from the same student names the same submission.",
        ),
    ] = None,
) -> Response[shapes.WrittenSubmission]:
    await limiter.submission(student.user_id, _address(request))
    key = idempotency_key
    submission_id = submission_id_for(student.user_id, key)
    command = check_code_size(data)
    event, seq = await flows.submit(
        backend,
        command,
        user_id=student.user_id,
        submission_id=submission_id,
        keyed=key is not None,
    )
    return Response(views.submission(event, seq), status_code=202, cookies=[views.seq_cookie(seq)])


@post(
    "/api/runs",
    status_code=202,
    request_max_body_size=MAX_RUN_BODY_BYTES,
    responses=errors(400, 401, 403, 404, 413, 415, 422, 429, 503),
)
async def post_run(
    request: Request[Any, Any, Any],
    data: JSONBody[RunCode],
    student: NamedDependency[auth.Identity],
    backend: NamedDependency[Backend],
    limiter: NamedDependency[RateLimiter],
) -> Response[shapes.RunAccepted]:
    """Run the code without submitting it (never a submission: no verdict, no points); the
    result comes on `/ws` as `run.finished` and from `GET /api/runs/{id}`."""
    await limiter.run(student.user_id)
    command = check_run(data)
    event, seq = await flows.run(backend, command, user_id=student.user_id, run_id=uuid4())
    accepted = shapes.RunAccepted(event.run_id, "pending")
    return Response(accepted, status_code=202, cookies=[views.seq_cookie(seq)])


@delete(
    "/api/submissions/{submission_id:str}",
    status_code=204,
    responses=errors(401, 403, 404, 409, 415, 503),
)
async def delete_submission(
    submission_id: FromPath[str],
    student: NamedDependency[auth.Identity],
    backend: NamedDependency[Backend],
) -> Response[None]:
    command = parse_submission_id(submission_id)
    seq = await flows.delete(backend, command, user_id=student.user_id)
    return Response(None, status_code=204, cookies=[views.seq_cookie(seq)])


@route(
    "/api/command/health",
    http_method=["GET", "HEAD", "POST"],
    status_code=200,
    responses=errors(503),
)
async def command_health(state: State) -> shapes.Health:
    """Readiness: ready once connected to NATS (the event store every command needs)."""
    if not state.nc.is_connected:
        raise ApiError(503, "unavailable", "The command API is not connected to NATS yet.")
    return shapes.Health(ok=True)


ROUTES = [post_session, post_submission, post_run, delete_submission, command_health]
