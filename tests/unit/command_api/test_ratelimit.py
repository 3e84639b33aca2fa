"""The rate limit's window arithmetic and key naming."""

from uuid import UUID

from services.command_api.ratelimit import key, window


def test_the_window_is_the_minute_and_retry_counts_to_its_end():
    assert window(120.0) == (2, 60)
    assert window(179.2) == (2, 1)
    assert window(150.5) == (2, 30)


def test_retry_after_is_never_zero():
    assert window(179.999)[1] == 1


def test_the_key_names_the_service_the_student_and_the_minute():
    user = UUID("00000000-0000-4000-8000-000000000001")
    assert key(user, 7) == f"command_api:rate:{user}:7"
