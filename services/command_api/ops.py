"""The operators' writes (/ops/ page): re-grade an assignment, as `grindstone regrade
--assignment` does (common/regrades.py, the one way both do it). Operator role only."""

import asyncio
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Request, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from common import http, regrade_queue, regrades
from common.auth import Identity
from common.http import ApiError, errors
from services.command_api.settings import Settings

APPENDS_AT_ONCE = 64  # re-grade requests in flight together (one per submission subject)


class RegradeAssignment(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Grade every submission of this assignment again (deleted ones are left out)."""

    assignment_id: UUID


class RegradesRequested(msgspec.Struct, frozen=True, kw_only=True):
    assignment_id: UUID
    requested: int  # SubmissionRegradeRequested appended
    skipped: int  # still waiting for or under grading, or changed meanwhile


def provide_operator(
    request: Request[Any, Any, Any], settings: NamedDependency[Settings]
) -> Identity:
    """The caller, who must hold an operator token (a 401 or 403 otherwise)."""
    who = http.identity(request, settings.secret)
    http.require_role(who, "operator")
    return who


@post(
    "/api/ops/regrades",
    status_code=202,
    responses=errors(400, 401, 403, 415, 422, 503),
    dependencies={"operator": Provide(provide_operator, sync_to_thread=False)},
)
async def post_ops_regrades(
    data: JSONBody[RegradeAssignment], operator: NamedDependency[Identity], state: State
) -> RegradesRequested:
    """Appends a SubmissionRegradeRequested for each submission of the assignment; the graders
    take them as they come (the answer does not wait for the verdicts)."""
    js = state.nc.jetstream()
    await regrade_queue.ensure_stream(js)  # graders make it too; a request may come first
    try:
        chosen = await regrades.of_assignment(js, data.assignment_id)
    except regrades.Unreadable as exc:
        raise ApiError(503, "unavailable", f"{exc}; update grindstone first.") from None
    now, by = datetime.now(UTC), f"operator {operator.user_id}"
    pending = list(chosen.values())
    requested = 0
    for start in range(0, len(pending), APPENDS_AT_ONCE):  # distinct subjects: independent
        batch = pending[start : start + APPENDS_AT_ONCE]
        whys = await asyncio.gather(*(regrades.request(js, x, now, requested_by=by) for x in batch))
        requested += sum(why is None for why in whys)
    return RegradesRequested(
        assignment_id=data.assignment_id, requested=requested, skipped=len(chosen) - requested
    )


HANDLERS = [post_ops_regrades]
