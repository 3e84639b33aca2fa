"""Session tokens expire: a year for students, 12 hours for staff; a forged or old one fails."""

from uuid import uuid4

from common import auth

SECRET = "unit-secret"


def test_a_token_holds_until_it_expires():
    who = auth.Identity(uuid4(), "student")
    token = auth.issue(SECRET, who, now=1_000_000)
    assert auth.verify(SECRET, token, now=1_000_000) == who
    assert auth.verify(SECRET, token, now=1_000_000 + auth.LIFETIME_S["student"] - 1) == who
    assert auth.verify(SECRET, token, now=1_000_000 + auth.LIFETIME_S["student"]) is None


def test_staff_tokens_are_short_lived():
    assert auth.LIFETIME_S["operator"] == auth.LIFETIME_S["auditor"] == 12 * 3600
    token = auth.issue(SECRET, auth.Identity(uuid4(), "operator"), now=0)
    assert auth.verify(SECRET, token, now=12 * 3600 - 1) is not None
    assert auth.verify(SECRET, token, now=12 * 3600) is None


def test_a_changed_expiry_or_role_breaks_the_signature():
    token = auth.issue(SECRET, auth.Identity(uuid4(), "student"), now=0)
    role, user, expires, signature = token.split(".")
    assert auth.verify(SECRET, f"{role}.{user}.{int(expires) * 2}.{signature}", now=0) is None
    assert auth.verify(SECRET, f"operator.{user}.{expires}.{signature}", now=0) is None
    assert auth.verify(SECRET, f"{role}.{user}.{signature}", now=0) is None  # the old format
    assert auth.verify("other", token, now=0) is None
