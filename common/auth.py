"""Session tokens: `<role>.<user_id>.<signature>`, signed with the server secret (HMAC-SHA256)."""

import base64
import hashlib
import hmac
from typing import Literal
from uuid import UUID

import msgspec

Role = Literal["student", "operator", "auditor"]
ROLES: tuple[Role, ...] = ("student", "operator", "auditor")
COOKIE = "grindstone_session"


class Identity(msgspec.Struct, frozen=True):
    user_id: UUID
    role: Role


def _sign(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue(secret: str, identity: Identity) -> str:
    if not secret:
        raise ValueError("no server secret configured (GRINDSTONE_SECRET)")
    message = f"{identity.role}.{identity.user_id}"
    return f"{message}.{_sign(secret, message)}"


def verify(secret: str, token: str) -> Identity | None:
    """The identity a token carries, or None when it is malformed or not signed by us."""
    role, _, rest = token.partition(".")
    user, _, signature = rest.partition(".")
    if (
        not secret
        or role not in ROLES
        or not hmac.compare_digest(signature, _sign(secret, f"{role}.{user}"))
    ):
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
