"""The read models the projector maintains, one module each."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from psycopg import AsyncConnection

from common.cache import Cache
from events import Event
from services.projector.projections import assignments, progress, runs, submissions


class Builder(Protocol):
    """A projection's table folded in memory from the stream (a replay), then its rows."""

    def refused(self, event: Event) -> str | None:
        """Why PostgreSQL would refuse this event's values (the projector sets it aside)."""
        ...

    def add(self, event: Event, seq: int) -> None: ...

    def rows(self) -> Iterable[tuple[Any, ...]]: ...


class Projection(Protocol):
    NAME: str
    SCHEMA: str
    COLUMNS: tuple[str, ...]  # of the rows its Builder gives
    CACHED: tuple[str, ...]  # the Valkey keys (glob patterns) it refreshes
    Rebuilt: Callable[[], Builder]

    async def apply(self, conn: AsyncConnection[Any], event: Event, seq: int) -> None: ...

    async def refresh(
        self, conn: AsyncConnection[Any], cache: Cache, events: Sequence[Event]
    ) -> None: ...


PROJECTIONS: tuple[Projection, ...] = (assignments, submissions, progress, runs)
