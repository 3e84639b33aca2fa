"""Client text -> paging values, or an ApiError with a fitting status."""

import base64
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.http import ApiError
from services.query_api import params


def status_of(call, *args) -> int:
    with pytest.raises(ApiError) as raised:
        call(*args)
    return raised.value.status_code


def test_after_seq_takes_the_later_of_the_parameter_and_the_cookie():
    assert params.after_seq(0, None) == 0
    assert params.after_seq(12, None) == 12
    assert params.after_seq(12, "30") == 30
    assert params.after_seq(40, "30") == 40
    assert params.after_seq(0, "not-a-number") == 0  # a mangled cookie is no reason to fail


aware = st.datetimes(timezones=st.just(UTC))


@given(created_at=aware, submission_id=st.uuids())
def test_a_cursor_decodes_to_what_was_encoded(created_at: datetime, submission_id: UUID):
    text = params.encode_cursor(created_at.isoformat(), str(submission_id))
    assert params.decode_cursor(text) == (created_at, submission_id)


@given(text=st.text(max_size=60))
def test_any_other_text_is_a_400_not_a_crash(text: str):
    try:
        decoded = params.decode_cursor(text)
    except ApiError as exc:
        assert exc.status_code == 400
    else:
        assert decoded is None or decoded[0].tzinfo is not None


def test_a_cursor_without_a_time_zone_or_id_is_refused():
    naive = params.encode_cursor("2025-01-01T00:00:00", str(uuid4()))
    assert status_of(params.decode_cursor, naive) == 400
    assert status_of(params.decode_cursor, params.encode_cursor("2025-01-01T00:00:00Z", "x")) == 400


def test_a_nested_cursor_is_a_400_not_a_crash():
    for raw in [b"[" * 100_000, b"[" * 3000 + b"]" * 3000, b'[["2025-01-01T00:00:00Z"], "x"]']:
        text = base64.urlsafe_b64encode(raw).decode()
        assert status_of(params.decode_cursor, text) == 400
