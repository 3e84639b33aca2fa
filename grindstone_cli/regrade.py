"""`grindstone regrade`: ask the graders to grade submissions again, as their next attempt."""

import argparse
import sys
from collections.abc import AsyncIterator, Iterable, Mapping
from datetime import UTC, datetime
from typing import NamedTuple
from uuid import UUID

import nats.errors
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from tqdm import tqdm

from common import nats as gnats
from events import (
    SubmissionCreated,
    SubmissionDeleted,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    codec,
    subjects,
)
from grindstone_cli import locate

READ_TIMEOUT_S = 10.0
PROGRESS_FROM = 20  # submissions; fewer get no progress bar
UNPUBLISHED = "its assignment has no published version"  # so it has no latest version
DESCRIPTION = """\
Append a SubmissionRegradeRequested (the submission's last attempt + 1) for each chosen
submission; one grader grades it again and the student sees the new verdict. A submission still
waiting for or under grading is skipped with a note; deleted ones are left out (named with
--submission, skipped with a note). Safe to run twice: a regrade already requested is still
pending, so it is skipped.

Each submission is graded against the assignment version it was made against (the tests its
student saw), or with --latest against its assignment's latest version, named in the request.
The first line printed says which.
"""


SubmissionEvent = (
    SubmissionCreated
    | SubmissionGradingStarted
    | SubmissionGraded
    | SubmissionRegradeRequested
    | SubmissionDeleted
)


class Unreadable(Exception):
    """The stream holds an event this version cannot read."""


class Latest(NamedTuple):
    """A submission's subject, its last event and that event's stream sequence."""

    subject: str
    seq: int
    event: SubmissionEvent


def add_parser(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "regrade", help="grade submissions again", description=DESCRIPTION
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--submission",
        dest="submissions",
        action="append",
        type=UUID,
        metavar="ID",
        help="a submission to grade again (repeat for more)",
    )
    which.add_argument(
        "--assignment", type=UUID, metavar="ID", help="every submission of this assignment"
    )
    which.add_argument("--all", action="store_true", help="every submission")
    parser.add_argument(
        "--latest",
        action="store_true",
        help="grade against each assignment's latest version (default: the version each "
        "submission was made against)",
    )
    locate.add_nats_url_option(parser)
    parser.set_defaults(run=run)
    return parser


async def run(args: argparse.Namespace) -> int:
    try:
        nc = await locate.connect(args.nats_url)
    except locate.NotConfigured as exc:
        return _fail(str(exc))
    try:
        requested, skipped = await regrade(nc.jetstream(), args)
    except Unreadable as exc:
        return _fail(f"{exc}; update grindstone first")
    except (nats.errors.Error, TimeoutError) as exc:
        return _fail(f"NATS did not answer as expected ({type(exc).__name__}: {exc})")
    finally:
        await nc.close()
    print(f"Regrades requested: {requested}, skipped: {skipped}")
    return 0


async def regrade(js: JetStreamContext, args: argparse.Namespace) -> tuple[int, int]:
    """Request a regrade of every chosen submission; (requested, skipped)."""
    chosen = await choose(js, args)
    versions = await latest_versions(js, chosen.values()) if args.latest else None
    print(*against(versions), sep="\n")
    requested = skipped = 0
    now = datetime.now(UTC)
    with tqdm(
        total=len(chosen), desc="regrade", unit="submission", disable=len(chosen) < PROGRESS_FROM
    ) as bar:
        for submission_id, latest in chosen.items():
            why = await request(js, latest, now, versions) if latest else "no such submission"
            if why is None:
                requested += 1
            else:
                skipped += 1
                bar.write(f"skipped {submission_id}: {why}", file=sys.stdout)
            bar.update()
    return requested, skipped


async def choose(js: JetStreamContext, args: argparse.Namespace) -> dict[UUID, Latest | None]:
    """The chosen submissions by id, with their latest event (None: not found)."""
    if args.submissions:
        return {sid: await latest_of(js, sid) for sid in dict.fromkeys(args.submissions)}
    chosen: dict[UUID, Latest | None] = {}
    async for latest in every_latest(js):
        event = latest.event
        if isinstance(event, SubmissionDeleted):
            continue
        if args.all or event.assignment_id == args.assignment:
            chosen[event.submission_id] = latest
    return chosen


async def latest_of(js: JetStreamContext, submission_id: UUID) -> Latest | None:
    raw = await gnats.last_message(js, subjects.submission_by_id(submission_id))
    if raw is None:
        return None
    subject = raw.subject or ""
    return Latest(subject, int(raw.seq or 0), _decode(subject, raw.data or b"", raw.headers))


async def every_latest(js: JetStreamContext) -> AsyncIterator[Latest]:
    """The last event of every submission subject (one pass of an ordered consumer)."""
    if await gnats.last_message(js, subjects.SUBMISSIONS_FILTER) is None:
        return  # nothing would be delivered: do not wait for it
    sub = await js.subscribe(
        subjects.SUBMISSIONS_FILTER,
        stream=subjects.EVENTS_STREAM,
        ordered_consumer=True,
        deliver_policy=DeliverPolicy.LAST_PER_SUBJECT,
    )
    newest: dict[str, Latest] = {}  # a subject written during the pass: its newest event
    try:
        while True:
            msg = await sub.next_msg(timeout=READ_TIMEOUT_S)
            event = _decode(msg.subject, msg.data, msg.headers)
            newest[msg.subject] = Latest(msg.subject, msg.metadata.sequence.stream, event)
            if msg.metadata.num_pending == 0:
                break
    finally:
        await sub.unsubscribe()
    for latest in newest.values():
        yield latest


async def latest_versions(
    js: JetStreamContext, chosen: Iterable[Latest | None]
) -> dict[UUID, str | None]:
    """The latest version (content hash) of each chosen submission's assignment; None: the
    assignment was never published."""
    versions: dict[UUID, str | None] = {}
    for latest in chosen:
        assignment_id = latest.event.assignment_id if latest else None
        if assignment_id is not None and assignment_id not in versions:
            published = await gnats.published(js, assignment_id)
            versions[assignment_id] = published.content_sha256 if published else None
    return versions


def against(versions: Mapping[UUID, str | None] | None) -> list[str]:
    """What the regrades are graded against, for the operator."""
    if versions is None:
        return ["Grading against: the assignment version each submission was made against"]
    return [
        "Grading against: each assignment's latest version",
        *(f"  assignment {aid}: {sha or 'not published'}" for aid, sha in versions.items()),
    ]


async def request(
    js: JetStreamContext,
    latest: Latest,
    now: datetime,
    versions: Mapping[UUID, str | None] | None = None,
) -> str | None:
    """Append the regrade request; None when done, else why it was skipped. `versions`: the
    version to grade against by assignment (--latest); None: each submission's own."""
    attempt, why = next_attempt(latest.event)
    event = latest.event
    sha = None if versions is None else versions.get(event.assignment_id)
    if attempt is None or (versions is not None and sha is None):
        return why or UNPUBLISHED
    regrade = SubmissionRegradeRequested(
        occurred_at=now,
        submission_id=event.submission_id,
        user_id=event.user_id,
        assignment_id=event.assignment_id,
        attempt=attempt,
        requested_by="operator",
        assignment_sha256=sha,
    )
    msg_id = f"regrade:{regrade.submission_id}:{attempt}"
    try:
        await gnats.append(js, latest.subject, regrade, msg_id=msg_id, expected_seq=latest.seq)
    except gnats.ConcurrencyError:
        return "it changed while regrading; run the command again for it"
    return None


def next_attempt(last: SubmissionEvent) -> tuple[int | None, str]:
    """The attempt to request after the submission's last event, or why there is none."""
    match last:
        case SubmissionGraded(deleted=True):
            return None, "deleted"
        case SubmissionGraded(attempt=attempt):
            return attempt + 1, ""
        case SubmissionCreated(reused=reused) if reused is not None:
            return 2, ""  # graded at once with an earlier verdict: that was attempt 1
        case SubmissionCreated() | SubmissionRegradeRequested():
            return None, "still waiting to be graded"
        case SubmissionGradingStarted():
            return None, "still being graded"
    return None, "deleted"


def _decode(subject: str, data: bytes, headers: dict[str, str] | None) -> SubmissionEvent:
    try:
        event = codec.decode(data, headers)
    except codec.Unreadable as exc:
        raise Unreadable(f"{subject} holds an event this grindstone cannot read ({exc})") from None
    if not isinstance(event, SubmissionEvent):
        raise Unreadable(f"{subject} holds a {type(event).__name__}, not a submission event")
    return event


def _fail(message: str) -> int:
    print(f"grindstone regrade: {message}", file=sys.stderr)
    return 1
