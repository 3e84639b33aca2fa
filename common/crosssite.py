"""Cross-site rules every HTTP service applies (the contract's "Cross-site rules").

A browser sends the session cookie with any request to our origin, even one a foreign page
starts, so a cookie-authenticated write, or `/ws` handshake, must come from a page of our own
origin: its `Origin` is ours (scheme and host as the client used them: nginx passes them on as
`X-Forwarded-Proto` and `Host`) or one of `GRINDSTONE_ALLOWED_ORIGINS`. A write's body must be
`application/json`, which a foreign form cannot send without a preflight. Bearer-token clients
are not browsers and are not asked for an `Origin`.
"""

from collections.abc import Mapping

from common.http import ApiError

WRITES = frozenset(["POST", "PUT", "PATCH", "DELETE"])


def allowed_origins(setting: str) -> frozenset[str]:
    """`GRINDSTONE_ALLOWED_ORIGINS`: origins besides our own, separated by commas."""
    return frozenset(o.strip().rstrip("/").lower() for o in setting.split(",") if o.strip())


def own_origin(headers: Mapping[str, str], scheme: str) -> str:
    forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return f"{forwarded or scheme}://{headers.get('host', '').lower()}"


def is_https(headers: Mapping[str, str], scheme: str) -> bool:
    return own_origin(headers, scheme).startswith(("https://", "wss://"))


def foreign_origin(headers: Mapping[str, str], scheme: str, allowed: frozenset[str]) -> str | None:
    """The request's `Origin` if a browser sent it from a page not ours, else None."""
    if headers.get("authorization", "").lower().startswith("bearer "):
        return None
    origin = headers.get("origin")
    if origin is None:
        return None  # not sent by a browser page (or a same-origin GET)
    origin = origin.strip().rstrip("/").lower()
    ours = own_origin(headers, {"ws": "http", "wss": "https"}.get(scheme, scheme))
    if origin == ours or origin in allowed:
        return None
    return origin or "null"


def check_write(
    method: str, headers: Mapping[str, str], scheme: str, allowed: frozenset[str]
) -> None:
    """Raise the 403 or 415 a write gets when it breaks the cross-site rules."""
    if method not in WRITES:
        return
    origin = foreign_origin(headers, scheme, allowed)
    if origin is not None:
        raise ApiError(
            403,
            "foreign_origin",
            f"A page of {origin} may not change anything here; use this site's own pages.",
        )
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    has_body = headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers
    if (has_body or kind) and kind != "application/json":  # no body: nothing to misread
        shown = kind or "none"
        raise ApiError(
            415,
            "unsupported_media_type",
            f"Send the request body as JSON (Content-Type: application/json), not {shown}.",
        )
