"""What every HTTP service shares: the JSON error shape and authentication."""

import logging
from typing import Any

from litestar import HttpMethod, MediaType, Request, Response, route
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers import HTTPRouteHandler
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from common import api_paths, auth

log = logging.getLogger(__name__)

DEFAULT_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}

TOO_DEEP = "The JSON nests arrays or objects too deeply to be read."


class ApiError(HTTPException):
    """An error a client should see: status, short code and a sentence."""

    def __init__(
        self, status: int, code: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)
        self.code = code


def error_response(status: int, code: str, detail: str, headers: Any = None) -> Response[Any]:
    return Response(
        {"error": code, "detail": detail},
        status_code=status,
        media_type=MediaType.JSON,
        headers=headers,
    )


def get(path: str, **options: Any) -> HTTPRouteHandler:
    """Litestar's `get` that answers HEAD too (the same status and headers, no body)."""
    return route(path, http_method=[HttpMethod.GET, HttpMethod.HEAD], **options)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotFoundException | MethodNotAllowedException):
        return no_route(request, exc)
    code = getattr(exc, "code", None) or DEFAULT_CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return error_response(exc.status_code, code, detail, exc.headers)


def no_route(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    """This service has no route for the request: a 404, or a 405 naming the methods the whole
    API answers at this path (nginx sends reads and writes to different services)."""
    path, method = request.url.path, request.method
    known = api_paths.methods(path)
    allow = ", ".join(known) if known else (exc.headers or {}).get("Allow")
    if allow is None or (known and method in known):
        return error_response(404, "not_found", "There is nothing at this address.")
    detail = f"{path} answers {allow}, not {method}."
    return error_response(405, "method_not_allowed", detail, {"Allow": allow})


def handle_recursion(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """JSON from a client nested deeper than the decoder follows (msgspec and `json` both raise
    RecursionError, naming what they were doing) is a 400; any other recursion is our fault."""
    if "deserializing" in str(exc) or "decoding" in str(exc):
        return error_response(400, "malformed_json", TOO_DEEP)
    return handle_unexpected(request, exc)


def handle_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", exc_info=exc)
    return error_response(
        HTTP_500_INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side; try again."
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HTTPException: handle_http_exception,
    RecursionError: handle_recursion,
    Exception: handle_unexpected,
}


def identity(request: Request[Any, Any, Any], secret: str) -> auth.Identity:
    """The caller, or a 401 with a sentence."""
    who = auth.from_request(
        secret, request.headers.get("authorization"), request.cookies.get(auth.COOKIE)
    )
    if who is None:
        raise NotAuthorizedException(
            "Sign in first: send the session cookie or an `Authorization: Bearer` token."
        )
    return who


def require_role(who: auth.Identity, *roles: auth.Role) -> None:
    if who.role not in roles:
        raise PermissionDeniedException(f"This needs the {' or '.join(roles)} role.")
