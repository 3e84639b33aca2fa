"""GET handlers: thin, each a parse -> read -> shape."""

from typing import Annotated
from uuid import UUID

import msgspec
from litestar.di import NamedDependency
from litestar.params import FromPath, Parameter

from common import shapes
from common.auth import Identity
from common.http import ApiError, errors, get
from services.query_api import hot, params, views
from services.query_api.reader import Reader

_NO_ASSIGNMENT = "There is no assignment with this id."
_NO_SUBMISSION = "You have no submission with this id."
_NO_RUN = "You have no run with this id."
_READ_ERRORS = (400, 401, 422, 503)  # what any read may answer (`after_seq`, sign-in, servers)


@get("/api/health", sync_to_thread=False)
def get_health() -> shapes.Health:
    return shapes.Health(ok=True)


@get("/api/assignments", responses=errors(*_READ_ERRORS))
async def get_assignments(
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> list[shapes.AssignmentSummary]:
    await reader.wait_for(after_seq)
    return msgspec.convert(await reader.assignments(), list[shapes.AssignmentSummary])


@get("/api/assignments/{assignment_id:str}", responses=errors(*_READ_ERRORS, 404))
async def get_assignment(
    assignment_id: FromPath[str],
    reader: NamedDependency[Reader],
    copies: NamedDependency[hot.Copies],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> shapes.Assignment:
    wanted = params.uuid_or_none(assignment_id)
    await reader.wait_for(after_seq)
    epoch = copies.epoch  # before the read: a change heard after it voids this copy
    found = None if wanted is None else await reader.assignment(wanted)
    if found is None:
        raise ApiError(404, "not_found", _NO_ASSIGNMENT)
    answer = msgspec.convert(found, shapes.Assignment)
    copies.put(str(wanted), msgspec.json.encode(answer), epoch)
    return answer


@get("/api/submissions", responses=errors(*_READ_ERRORS))
async def get_submissions(
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
    assignment_id: Annotated[
        UUID | None, Parameter(description="Only this assignment's submissions.")
    ] = None,
    limit: Annotated[
        int, Parameter(ge=1, le=params.MAX_LIMIT, description="Submissions per page.")
    ] = params.DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Parameter(description="The `next` of the page before, as given.")
    ] = None,
) -> shapes.SubmissionPage:
    after = params.decode_cursor(cursor)
    await reader.wait_for(after_seq)
    items = await reader.submissions(caller.user_id, assignment_id, after, limit + 1)
    page = items[:limit]
    more = len(items) > limit
    next_cursor = params.encode_cursor(page[-1]["created_at"], page[-1]["id"]) if more else None
    return shapes.SubmissionPage(msgspec.convert(page, list[shapes.Submission]), next_cursor)


@get("/api/submissions/{submission_id:str}", responses=errors(*_READ_ERRORS, 404))
async def get_submission(
    submission_id: FromPath[str],
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> shapes.Submission:
    wanted = params.uuid_or_none(submission_id)
    found = None if wanted is None else await reader.submission(wanted, after_seq)
    if found is None or found.get("user_id") != str(caller.user_id):
        raise ApiError(404, "not_found", _NO_SUBMISSION)
    return msgspec.convert(found, shapes.Submission)


@get("/api/runs/{run_id:str}", responses=errors(*_READ_ERRORS, 404))
async def get_run(
    run_id: FromPath[str],
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> shapes.Run:
    """An ungraded run of the caller's (another student's is a 404, as an unknown one is)."""
    wanted = params.uuid_or_none(run_id)
    if wanted is None:
        raise ApiError(400, "bad_request", "A run id is a UUID, as `POST /api/runs` gave it.")
    found = await reader.run(wanted, after_seq)
    if found is None or found.get("user_id") != str(caller.user_id):
        raise ApiError(404, "not_found", _NO_RUN)
    return msgspec.convert(found, shapes.Run)


@get("/api/progress", responses=errors(*_READ_ERRORS))
async def get_progress(
    reader: NamedDependency[Reader],
    caller: NamedDependency[Identity],
    after_seq: NamedDependency[int],
) -> shapes.Progress:
    await reader.wait_for(after_seq)
    return views.progress(await reader.completed(caller.user_id), await reader.assignments())


HANDLERS = [
    get_health,
    get_assignments,
    get_assignment,
    get_submissions,
    get_submission,
    get_run,
    get_progress,
]
