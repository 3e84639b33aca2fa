"""The read models' tables and the projection checkpoints: create, drop, read."""

from typing import Any

from psycopg import sql
from psycopg_pool import AsyncConnectionPool

from services.projector.projections import PROJECTIONS

CHECKPOINTS = """
CREATE TABLE IF NOT EXISTS projection_checkpoint (
    projection text PRIMARY KEY,
    stream_seq bigint NOT NULL DEFAULT 0
)
"""

# subjects whose events are held behind one set aside (services/projector/apply.py)
PARKED = """
CREATE TABLE IF NOT EXISTS projector_parked (
    subject text PRIMARY KEY,
    since_seq bigint NOT NULL
)
"""

# read models replaced by a new shape: dropped, with their checkpoints, when the schema is made
# (by submissions_v2 and assignments_v2: NUL-safe text; by assignments_v3: test style, entry point)
RETIRED = ("submissions", "assignments", "assignments_v2")

_REGISTER = """
INSERT INTO projection_checkpoint (projection, stream_seq) VALUES (%s, 0)
ON CONFLICT (projection) DO NOTHING
"""

_FORGET = "DELETE FROM projection_checkpoint WHERE projection = ANY(%s)"

_RANGE = """
SELECT coalesce(min(stream_seq), 0) AS low, coalesce(max(stream_seq), 0) AS high
FROM projection_checkpoint WHERE projection = ANY(%s)
"""


def names() -> list[str]:
    return [projection.NAME for projection in PROJECTIONS]


async def create(pool: AsyncConnectionPool[Any]) -> None:
    """Create what is missing; idempotent. A new projection starts at checkpoint 0."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('projector-schema'))")
        await conn.execute(CHECKPOINTS)
        await conn.execute(PARKED)
        for name in RETIRED:
            await conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))
        await conn.execute(_FORGET, (list(RETIRED),))
        for projection in PROJECTIONS:
            await conn.execute(projection.SCHEMA)
            await conn.execute(_REGISTER, (projection.NAME,))


async def drop(pool: AsyncConnectionPool[Any]) -> None:
    """Drop every read model and forget its checkpoint and what it held back."""
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(CHECKPOINTS)
        await conn.execute("DROP TABLE IF EXISTS projector_parked")
        for projection in PROJECTIONS:
            table = sql.Identifier(projection.NAME)
            await conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        await conn.execute(_FORGET, (names(),))


async def checkpoints(pool: AsyncConnectionPool[Any]) -> tuple[int, int]:
    """(lowest, highest) checkpoint of the projections: resume after the lowest."""
    async with pool.connection() as conn:
        row = await (await conn.execute(_RANGE, (names(),))).fetchone()
    assert row is not None
    return int(row["low"]), int(row["high"])
