"""Fixtures for the command API: the app on the test servers, an assignment, student headers."""

import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from litestar.testing import AsyncTestClient
from nats.js import JetStreamContext

from common import nats as gnats
from events import AssignmentPublished, subjects
from services.command_api.app import create_app
from services.command_api.settings import Settings
from tests.conftest import SECRET, Servers


@pytest.fixture
def settings(servers: Servers, js: JetStreamContext, valkey: object) -> Settings:
    """Depends on `js` and `valkey` so the stream is fresh and Valkey flushed first."""
    return Settings(nats_url=servers.nats_url, valkey_url=servers.valkey_url, secret=SECRET)


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
async def assignment(js: JetStreamContext) -> AssignmentPublished:
    published = AssignmentPublished(
        occurred_at=datetime.now(UTC),
        assignment_id=uuid4(),
        source_id="two-sum",
        title="Two sum",
        position=1,
        handout="Add two numbers.",
        starter="def add(a, b):\n    ...\n",
        tests="from solution import add\n\ndef test_add():\n    assert add(1, 2) == 3\n",
        test_style="module",
        content_sha256=hashlib.sha256(b"two-sum v1").hexdigest(),
    )
    await gnats.append(
        js,
        subjects.assignment(published.assignment_id),
        published,
        msg_id=f"publish:{published.assignment_id}",
    )
    return published
