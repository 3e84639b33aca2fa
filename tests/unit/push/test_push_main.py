"""The entrypoint keeps credentials out of uvicorn's logs."""

import logging

from services.push.__main__ import RedactTokens


def test_a_token_in_a_logged_websocket_url_is_redacted():
    record = logging.LogRecord(
        "uvicorn.error",
        logging.INFO,
        __file__,
        1,
        '%s - "WebSocket %s" [accepted]',
        ("127.0.0.1:5000", "/ws?after=7&token=student.abc.sig-_x&x=1"),
        None,
    )
    assert RedactTokens().filter(record)
    assert record.getMessage() == (
        '127.0.0.1:5000 - "WebSocket /ws?after=7&token=[redacted]&x=1" [accepted]'
    )
