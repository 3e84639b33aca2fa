"""Session tokens: `<role>.<user_id>.<expires>.<signature>`, signed with the server secret
(HMAC-SHA256); `expires` is a Unix time. A student's token lasts a year (the site renews it on
each visit), a staff token 12 hours."""

import base64
import hashlib
import hmac
import time
from typing import Literal
from uuid import UUID

import msgspec

Role = Literal["student", "operator", "auditor"]
ROLES: tuple[Role, ...] = ("student", "operator", "auditor")
COOKIE = "grindstone_session"
LIFETIME_S: dict[str, int] = {
    "student": 365 * 24 * 3600,
    "operator": 12 * 3600,
    "auditor": 12 * 3600,
}


class Identity(msgspec.Struct, frozen=True):
    user_id: UUID
    role: Role


def _sign(secret: str, message: str) -> str:
    digest = hmac.digest(secret.encode(), message.encode(), hashlib.sha256)  # one C call
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue(
    secret: str, identity: Identity, lifetime_s: int | None = None, now: float | None = None
) -> str:
    if not secret:
        raise ValueError("no server secret configured (GRINDSTONE_SECRET)")
    lifetime = LIFETIME_S[identity.role] if lifetime_s is None else lifetime_s
    expires = int((time.time() if now is None else now) + lifetime)
    message = f"{identity.role}.{identity.user_id}.{expires}"
    return f"{message}.{_sign(secret, message)}"


def verify(secret: str, token: str, now: float | None = None) -> Identity | None:
    """The identity a token carries, or None when it is malformed, not signed by us, or
    expired."""
    parts = token.split(".")
    if len(parts) != 4 or not secret:
        return None
    role, user, expires, signature = parts
    if role not in ROLES or not hmac.compare_digest(
        signature, _sign(secret, f"{role}.{user}.{expires}")
    ):
        return None
    if not (expires.isascii() and expires.isdigit()):
        return None
    if int(expires) <= (time.time() if now is None else now):
        return None
    try:
        return Identity(UUID(user), role)
    except ValueError:
        return None


def from_request(secret: str, authorization: str | None, cookie: str | None) -> Identity | None:
    """Bearer token first, then the session cookie."""
    if authorization and authorization.lower().startswith("bearer "):
        return verify(secret, authorization[7:].strip())
    return verify(secret, cookie) if cookie else None


def cookie_value(header: str) -> str | None:
    """The session cookie's value in a `Cookie` header, or None."""
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if name == COOKIE:
            return value
    return None
