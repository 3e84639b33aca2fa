"""The cross-site rules on `/ws`: a cookie-authenticated handshake from a foreign Origin is
refused before it is accepted (HTTP 403), so a foreign page can never replay a student's
history; our own origin, a Bearer header or `?token=` are let in."""

from uuid import uuid4

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from common import auth
from tests.integration.push.conftest import token_for


def cookie(user_id) -> dict[str, str]:
    return {"Cookie": f"{auth.COOKIE}={token_for(user_id)}"}


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1:1", "null"])
async def test_a_cookie_handshake_from_a_foreign_origin_is_refused(push, origin):
    with pytest.raises(InvalidStatus) as refused:
        async with connect(push.url, additional_headers=cookie(uuid4()), origin=origin):
            pass
    assert refused.value.response.status_code == 403


async def test_a_cookie_handshake_from_our_own_origin_is_accepted(push):
    async with connect(push.url, additional_headers=cookie(uuid4()), origin=push.http_url) as ws:
        await ws.ping()


async def test_token_clients_are_not_asked_for_an_origin(push):
    user = uuid4()
    bearer = {"Authorization": f"Bearer {token_for(user)}"}
    async with connect(push.url, additional_headers=bearer, origin="https://evil.example") as ws:
        await ws.ping()
    query = f"{push.url}?token={token_for(user)}"
    async with connect(query, origin="https://evil.example") as ws:
        await ws.ping()
