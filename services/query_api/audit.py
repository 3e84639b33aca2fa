"""GET /api/audit/events (auditors): the stored events in stream order, read from the EVENTS
stream itself (not a read model), each with its hash chain fields checked."""

import asyncio
import contextlib
from typing import Annotated, Any
from uuid import UUID

import msgspec
import nats.errors
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import Parameter
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext

from common import eventlog, http, shapes
from common import nats as gnats
from common.auth import Identity
from common.http import ApiError, errors, get
from events import codec, integrity, subjects

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_SCAN = 10_000  # messages one request reads looking for an assignment's events
CONNECT_TIMEOUT_S = 5.0
_UNAVAILABLE = "The event log's server is unreachable right now; try again shortly."
_raw = msgspec.json.Decoder()


class EventLog:
    """The query API's NATS connection, opened at the first audit read (reads of the read
    models never wait for NATS) and closed by the app's lifespan."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client: Client | None = None
        self.lock = asyncio.Lock()

    async def js(self) -> JetStreamContext:
        async with self.lock:
            if self.client is None:
                try:
                    connecting = gnats.connect(self.url, "query_api")
                    self.client = await asyncio.wait_for(connecting, CONNECT_TIMEOUT_S)
                except (TimeoutError, OSError, nats.errors.Error):
                    raise ApiError(503, "unavailable", _UNAVAILABLE) from None
        return self.client.jetstream()

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


async def provide_event_log(state: State) -> EventLog:
    log: EventLog = state.event_log
    return log


def filter_subject(user_id: UUID | None, submission_id: UUID | None) -> str:
    if user_id and submission_id:
        return subjects.submission(user_id, submission_id)
    if user_id:
        return subjects.student_events(user_id)  # their submissions and their runs
    if submission_id:
        return subjects.submission_by_id(submission_id)
    return subjects.EVENTS_SUBJECTS[0]


def _payload(data: bytes) -> dict[str, Any] | None:
    try:
        found = _raw.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


async def _head_before(js: JetStreamContext, subject: str, seq: int) -> str:
    """The hash an event at `seq` on `subject` must chain to (the subject is one aggregate's:
    a handful of events)."""
    head = integrity.GENESIS
    async for msg in gnats.subject_messages(js, subject, before=seq):
        head = integrity.hash_of(msg.headers)
    return head


def _links(msg: Msg, head: str) -> bool:
    """The message chains to `head` and its hash recomputes."""
    found = integrity.claimed(msg.headers)
    return (
        found is not None
        and found[0] == head
        and integrity.recomputes(msg.subject, msg.headers, msg.data)
    )


def _item(msg: Msg, payload: dict[str, Any] | None, verified: bool) -> shapes.AuditEvent:
    headers = msg.headers or {}
    version = headers.get(codec.VERSION_HEADER, "")
    found = integrity.claimed(headers)
    return shapes.AuditEvent(
        seq=msg.metadata.sequence.stream,
        time=msg.metadata.timestamp,
        type=codec.wire_name(headers),
        version=int(version) if version.isascii() and version.isdigit() else 0,
        subject=msg.subject,
        payload=payload,
        integrity=shapes.EventIntegrity(
            prev=found[0] if found else None, hash=found[1] if found else None, verified=verified
        ),
    )


async def read_page(
    js: JetStreamContext, subject: str, assignment_id: UUID | None, after: int, limit: int
) -> shapes.AuditPage:
    items: list[shapes.AuditEvent] = []
    heads: dict[str, str] = {}  # per subject of an answered event: the hash the next chains to
    scanned = 0
    async with contextlib.aclosing(eventlog.read(js, subject, after + 1)) as messages:
        async for msg in messages:
            seq, scanned = msg.metadata.sequence.stream, scanned + 1
            payload = _payload(msg.data)
            wanted = assignment_id is None or (
                payload is not None and payload.get("assignment_id") == str(assignment_id)
            )
            if wanted and len(items) == limit:
                return shapes.AuditPage(items, items[-1].seq)
            if wanted and msg.subject not in heads:
                before = await _head_before(js, msg.subject, seq) if after else integrity.GENESIS
                heads[msg.subject] = before
            verified = msg.subject in heads and _links(msg, heads[msg.subject])
            if msg.subject in heads:
                heads[msg.subject] = integrity.hash_of(msg.headers)
            if wanted:
                items.append(_item(msg, payload, verified))
            elif scanned >= MAX_SCAN:
                return shapes.AuditPage(items, seq)  # the rest on the next page
    return shapes.AuditPage(items, None)


@get(
    "/api/audit/events",
    responses=errors(400, 401, 403, 422, 503),
    dependencies={"event_log": Provide(provide_event_log)},
)
async def get_audit_events(
    caller: NamedDependency[Identity],
    event_log: NamedDependency[EventLog],
    user_id: Annotated[UUID | None, Parameter(description="Only this student's events.")] = None,
    submission_id: Annotated[
        UUID | None, Parameter(description="Only this submission's events.")
    ] = None,
    assignment_id: Annotated[
        UUID | None, Parameter(description="Only events whose payload names this assignment.")
    ] = None,
    after: Annotated[int, Parameter(ge=0, description="Events after this stream seq.")] = 0,
    limit: Annotated[
        int, Parameter(ge=1, le=MAX_LIMIT, description="Events per page.")
    ] = DEFAULT_LIMIT,
) -> shapes.AuditPage:
    """The stored events in stream order (an auditor's); `next` pages on. Filters combine."""
    http.require_role(caller, "auditor")
    js = await event_log.js()
    try:
        return await read_page(
            js, filter_subject(user_id, submission_id), assignment_id, after, limit
        )
    except (TimeoutError, nats.errors.Error):  # the read stalled or the connection is gone
        raise ApiError(503, "unavailable", _UNAVAILABLE) from None


HANDLERS = [get_audit_events]
