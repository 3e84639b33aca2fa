"""common.setaside on a real JetStream: each event recorded once, whatever its size."""

import pytest

from common import setaside
from events import codec, subjects

SUBJECT = "events.submission.a.b"


async def stored(js):
    return await js.get_msg(
        subjects.SET_ASIDE_STREAM, seq=1, subject="setaside.>", next=True, direct=True
    )


def size(nc, wanted: int) -> int:
    """`wanted` bytes, or the server's limit less that much when negative."""
    return wanted if wanted >= 0 else nc.max_payload + wanted


@pytest.mark.parametrize(
    ("body_size", "note_size", "left"),
    [  # each fits in EVENTS, but not with the record's headers
        (-300, 0, "the body ({body} bytes)"),
        (10, setaside.MAX_HEADERS - 100, "the body ({body} bytes) and headers"),
    ],
)
async def test_an_event_as_large_as_the_server_allows_is_recorded_without_what_does_not_fit(
    nc, js, body_size, note_size, left
):
    headers = {codec.TYPE_HEADER: "SubmissionCreated", "X-Note": "n" * size(nc, note_size)}
    body = b"x" * size(nc, body_size)
    seq = (await js.publish(SUBJECT, body, headers=headers)).seq

    assert await setaside.record(js, "projector", seq, "not valid JSON: " + "why " * 200)
    assert not await setaside.record(js, "projector", seq, "met again")

    (record,) = await setaside.records(js)
    assert (record.consumer, record.seq, record.subject) == ("projector", seq, SUBJECT)
    assert record.reason.startswith("not valid JSON")
    assert record.left_in_events == left.format(body=len(body))
    message = await stored(js)
    assert message.data in (None, b"")
    assert nc.is_connected


async def test_an_event_that_fits_is_recorded_with_its_body_and_headers_less_nats_ones(nc, js):
    headers = {codec.TYPE_HEADER: "SubmissionCreated", "Nats-Msg-Id": "m1", "X-Note": "kept"}
    seq = (await js.publish(SUBJECT, b'{"garbage": tru', headers=headers)).seq

    assert await setaside.record(js, "push", seq, "malformed")

    message = await stored(js)
    assert message.data == b'{"garbage": tru'
    assert message.headers["X-Note"] == "kept"
    assert setaside.LEFT_HEADER not in message.headers
    assert (await setaside.records(js))[0].left_in_events == ""
    assert not any(k.startswith("Nats-") and "Msg-Id" in k for k in message.headers)
