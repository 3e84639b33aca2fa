"""What every HTTP service shares: the JSON error shape and authentication."""

import logging
import re
from typing import Any

import msgspec
from litestar import HttpMethod, MediaType, Request, Response, route
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from litestar.types import Empty

from common import api_paths, auth
from common.shapes import Problem

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


ERROR_SENTENCES = {
    400: "The request is malformed.",
    401: "No credentials, or credentials that are not valid.",
    403: "Credentials of a role that may not do this, or a write from another site.",
    404: "Nothing here, or not yours.",
    409: "It conflicts with the current state.",
    413: "The request or a value in it is too large.",
    415: "A write whose body is not `application/json`.",
    422: "A well-formed request with a value that is not valid.",
    429: "Over a limit; `Retry-After` says when to try again.",
    503: "A server behind the API is unreachable; try again shortly.",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """The error answers an operation documents in its OpenAPI document (all a `Problem`)."""
    return {
        status: ResponseSpec(Problem, description=ERROR_SENTENCES[status], generate_examples=False)
        for status in statuses
    }


class JsonRequest(Request[Any, Any, Any]):
    """Decodes a JSON body with our own sentences (malformed, nested too deeply: 400); Litestar
    then converts the value into the handler's `data:` Struct (a 422 when it does not fit)."""

    async def json(self) -> Any:
        if self._json is Empty:
            self._json = decode_json(await self.body())
        return self._json


def decode_json(body: bytes) -> Any:
    try:
        return msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        detail = f"The request body is not valid JSON ({exc})."
        if b"\\ud" in body.lower():  # msgspec may call a lone surrogate "truncated"
            detail += " A \\uD800-\\uDFFF escape must be half of a pair: alone, it is no character."
        raise ApiError(400, "malformed_json", detail) from exc
    except RecursionError:
        raise ApiError(400, "malformed_json", TOO_DEEP) from None


# msgspec's sentence for a value of the right type outside its bounds ("Expected `int` >= 1")
_OUT_OF_BOUNDS = re.compile(r"^Expected `\w+` (>=|<=|>|<|of length)")


def handle_validation(_: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Litestar found a body or parameter that does not fit its declared type: a body of the
    wrong shape and a value out of bounds are 422 (well-formed, not valid), a parameter that
    does not parse (`limit=ten`) is a 400."""
    problem = (exc.extra or [{}])[0] if isinstance(exc.extra, list) else {}
    message = str(problem.get("message") or "it does not fit")
    key, source = problem.get("key"), problem.get("source")
    if source == "body" and message == f"'{key}'":  # Litestar found no body at all
        return error_response(400, "malformed_json", "The request has no body; send JSON.")
    if source == "body":
        where = f" (at `{key}`)" if key and key != "data" else ""
        return error_response(422, "invalid", f"The request body is not valid: {message}{where}.")
    if _OUT_OF_BOUNDS.match(message):
        return error_response(422, "invalid", f"`{key}` is out of bounds: {message}.")
    return error_response(400, "bad_request", f"`{key}` is malformed: {message}.")


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
    if isinstance(exc, RequestEntityTooLarge):
        limit = request.route_handler.resolve_request_max_body_size() or 0
        detail = f"The request body is over {limit // 1024} KiB, the most this address accepts."
        return error_response(413, "too_large", detail)
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
    ValidationException: handle_validation,
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
