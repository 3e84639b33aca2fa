"""What every HTTP service shares: the JSON error shape and authentication."""

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from common import auth

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


def handle_http_exception(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    code = getattr(exc, "code", None) or DEFAULT_CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and not isinstance(exc, ApiError):
        detail = "There is nothing at this address."
    return error_response(exc.status_code, code, detail, exc.headers)


def handle_unexpected(_: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error", exc_info=exc)
    return error_response(
        HTTP_500_INTERNAL_SERVER_ERROR, "internal", "Something went wrong on our side; try again."
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    HTTPException: handle_http_exception,
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
