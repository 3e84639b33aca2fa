"""The read models' SQL: one function per query."""

from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from services.query_api.params import Cursor

Row = dict[str, Any]

_ASSIGNMENTS = "SELECT * FROM assignments_v3 ORDER BY position, assignment_id"
_ASSIGNMENT = "SELECT * FROM assignments_v3 WHERE assignment_id = %s"
_SUBMISSION = "SELECT * FROM submissions_v2 WHERE submission_id = %s"
_RUN = "SELECT * FROM runs WHERE run_id = %s"
_COMPLETED = """
SELECT assignment_id, last_seq FROM progress WHERE user_id = %s ORDER BY passed_at, assignment_id
"""
_CHECKPOINT = "SELECT coalesce(min(stream_seq), 0) AS seq FROM projection_checkpoint"

_PAGE = "SELECT * FROM submissions_v2 WHERE user_id = %(user_id)s AND NOT deleted"
_BY_ASSIGNMENT = " AND assignment_id = %(assignment_id)s"
_AFTER = " AND (created_at, submission_id) < (%(created_at)s, %(submission_id)s)"
_NEWEST_FIRST = " ORDER BY created_at DESC, submission_id DESC LIMIT %(limit)s"


async def assignments(conn: AsyncConnection[Any]) -> list[Row]:
    return await (await conn.execute(_ASSIGNMENTS)).fetchall()


async def assignment(conn: AsyncConnection[Any], assignment_id: UUID) -> Row | None:
    return await (await conn.execute(_ASSIGNMENT, (assignment_id,))).fetchone()


async def submission(conn: AsyncConnection[Any], submission_id: UUID) -> Row | None:
    """The row even when deleted: the caller decides what a deleted one means."""
    return await (await conn.execute(_SUBMISSION, (submission_id,))).fetchone()


async def run(conn: AsyncConnection[Any], run_id: UUID) -> Row | None:
    return await (await conn.execute(_RUN, (run_id,))).fetchone()


async def submissions_page(
    conn: AsyncConnection[Any],
    user_id: UUID,
    assignment_id: UUID | None,
    after: Cursor | None,
    limit: int,
) -> list[Row]:
    """A student's live submissions, newest first, strictly after the cursor."""
    created_at, submission_id = after or (None, None)
    params = {
        "user_id": user_id,
        "assignment_id": assignment_id,
        "created_at": created_at,
        "submission_id": submission_id,
        "limit": limit,
    }
    sql = _PAGE + (_BY_ASSIGNMENT if assignment_id else "") + (_AFTER if after else "")
    return await (await conn.execute(sql + _NEWEST_FIRST, params)).fetchall()


async def completed(conn: AsyncConnection[Any], user_id: UUID) -> list[Row]:
    return await (await conn.execute(_COMPLETED, (user_id,))).fetchall()


async def checkpoint(conn: AsyncConnection[Any]) -> int:
    """How far every projection has got (the lowest checkpoint)."""
    row = await (await conn.execute(_CHECKPOINT)).fetchone()
    return int(row["seq"]) if row else 0
