"""GET handlers: thin, each a parse -> read -> shape."""

from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath

from common.auth import Identity
from common.http import ApiError, get
from services.query_api import params, views
from services.query_api.reader import Reader

_NO_ASSIGNMENT = "There is no assignment with this id."
_NO_SUBMISSION = "You have no submission with this id."


@get("/api/health")
async def get_health() -> dict[str, bool]:
    return {"ok": True}


@get("/api/assignments")
async def get_assignments(
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> list[dict[str, Any]]:
    await reader.wait_for(after_seq)
    return await reader.assignments()


@get("/api/assignments/{assignment_id:str}")
async def get_assignment(
    assignment_id: FromPath[str],
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> dict[str, Any]:
    wanted = params.uuid_or_none(assignment_id)
    await reader.wait_for(after_seq)
    found = None if wanted is None else await reader.assignment(wanted)
    if found is None:
        raise ApiError(404, "not_found", _NO_ASSIGNMENT)
    return {name: value for name, value in found.items() if name != "last_seq"}


@get("/api/submissions")
async def get_submissions(
    request: Request[Any, Any, Any],
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> dict[str, Any]:
    query = request.query_params
    assignment_id = params.assignment_filter(query.get("assignment_id"))
    limit = params.limit(query.get("limit"))
    after = params.decode_cursor(query.get("cursor"))
    await reader.wait_for(after_seq)
    items = await reader.submissions(caller.user_id, assignment_id, after, limit + 1)
    page = items[:limit]
    more = len(items) > limit
    cursor = params.encode_cursor(page[-1]["created_at"], page[-1]["id"]) if more else None
    return {"items": page, "next": cursor}


@get("/api/submissions/{submission_id:str}")
async def get_submission(
    submission_id: FromPath[str],
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> dict[str, Any]:
    wanted = params.uuid_or_none(submission_id)
    found = None if wanted is None else await reader.submission(wanted, after_seq)
    if found is None or found.get("user_id") != str(caller.user_id):
        raise ApiError(404, "not_found", _NO_SUBMISSION)
    return views.public(found)


@get("/api/progress")
async def get_progress(
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> dict[str, Any]:
    await reader.wait_for(after_seq)
    return views.progress(await reader.completed(caller.user_id), await reader.assignments())


HANDLERS = [
    get_health,
    get_assignments,
    get_assignment,
    get_submissions,
    get_submission,
    get_progress,
]
