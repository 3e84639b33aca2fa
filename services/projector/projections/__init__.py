"""The read models the projector maintains, one module each."""

from collections.abc import Sequence
from typing import Any, Protocol

from psycopg import AsyncConnection

from common.cache import Cache
from events import Event
from services.projector.projections import assignments, progress, submissions


class Projection(Protocol):
    NAME: str
    SCHEMA: str

    async def apply(self, conn: AsyncConnection[Any], event: Event, seq: int) -> None: ...

    async def refresh(
        self, conn: AsyncConnection[Any], cache: Cache, events: Sequence[Event]
    ) -> None: ...


PROJECTIONS: tuple[Projection, ...] = (assignments, submissions, progress)
