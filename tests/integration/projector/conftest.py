"""Fixtures of the projector tests: a pool on the test database with the schema applied."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from psycopg_pool import AsyncConnectionPool

from common import cache, db
from services.projector import schema


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[AsyncConnectionPool[Any]]:
    opened = await db.open_pool(database_url, max_size=4)
    await schema.create(opened)
    yield opened
    await opened.close()


@pytest.fixture
def query_cache(valkey: cache.valkey.Valkey) -> cache.Cache:
    return cache.Cache(valkey)
