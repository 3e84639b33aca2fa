"""Fixtures of the query API tests: the app on the test servers, read models by the projector."""

from collections.abc import AsyncIterator, Callable
from typing import Any
from uuid import UUID, uuid4

import pytest
from litestar.testing import AsyncTestClient
from psycopg_pool import AsyncConnectionPool

from common import auth, cache, db
from services.projector import schema
from services.query_api.app import create_app
from services.query_api.settings import Settings
from tests.conftest import SECRET


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[AsyncConnectionPool[Any]]:
    opened = await db.open_pool(database_url, max_size=4)
    await schema.create(opened)
    yield opened
    await opened.close()


@pytest.fixture
def query_cache(valkey: cache.valkey.Valkey) -> cache.Cache:
    return cache.Cache(valkey)


@pytest.fixture
def settings(servers, database_url: str) -> Settings:
    return Settings(
        nats_url=servers.nats_url,
        database_url=database_url,
        valkey_url=servers.valkey_url,
        secret=SECRET,
    )


@pytest.fixture
async def client(settings: Settings, pool) -> AsyncIterator[AsyncTestClient]:
    async with AsyncTestClient(create_app(settings)) as test_client:
        yield test_client


def bearer(user_id: UUID) -> dict[str, str]:
    token = auth.issue(SECRET, auth.Identity(user_id, "student"))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def student() -> Callable[[], tuple[UUID, dict[str, str]]]:
    """A new student: (user_id, headers with their bearer token)."""

    def make() -> tuple[UUID, dict[str, str]]:
        user_id = uuid4()
        return user_id, bearer(user_id)

    return make
