"""`grindstone regrade`: ask the graders to grade submissions again, as their next attempt."""

import argparse
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from uuid import UUID

import nats.errors
from nats.js import JetStreamContext
from tqdm import tqdm

from common import nats as gnats
from common import regrade_queue, regrades
from common.regrades import Latest, Unreadable
from grindstone_cli import locate, regrade_cancel, regrade_follow

PROGRESS_FROM = 20  # submissions; fewer get no progress bar
DESCRIPTION = """\
Append a SubmissionRegradeRequested (the submission's last attempt + 1) for each chosen
submission; one grader grades it again and the student sees the new verdict. A submission still
waiting for or under grading is skipped with a note; deleted ones are left out (named with
--submission, skipped with a note). Safe to run twice: a regrade already requested is still
pending, so it is skipped (and its job queued again if it went missing).

Re-grades run at a lower priority than students' new submissions: their jobs wait on their own
queue (REGRADES), which graders take only when no student's submission is waiting. The command
then follows the re-grades to their verdicts with a progress bar (Ctrl+C stops following, not
the re-grades); --no-wait returns at once. --cancel cancels every re-grade not yet started: the
student sees the verdict before it again.

Each submission is graded against the assignment version it was made against (the tests its
student saw), or with --latest against its assignment's latest version, named in the request.
The first line printed says which.
"""


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
    which.add_argument(
        "--cancel", action="store_true", help="cancel every queued re-grade not yet started"
    )
    parser.add_argument(
        "--latest",
        action="store_true",
        help="grade against each assignment's latest version (default: the version each "
        "submission was made against)",
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="return once the re-grades are requested, without following them",
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
        js = nc.jetstream()
        await regrade_queue.ensure_stream(js)
        if args.cancel:
            return await regrade_cancel.cancel(js)
        wanted, skipped, since = await regrade(js, args)
        print(f"Regrades requested: {len(wanted)}, skipped: {skipped}")
        if wanted and not args.no_wait:
            await regrade_follow.follow(js, wanted, since)
    except Unreadable as exc:
        return _fail(f"{exc}; update grindstone first")
    except (nats.errors.Error, TimeoutError) as exc:
        return _fail(f"NATS did not answer as expected ({type(exc).__name__}: {exc})")
    finally:
        await nc.close()
    return 0


async def regrade(
    js: JetStreamContext, args: argparse.Namespace
) -> tuple[dict[UUID, int], int, int]:
    """Request a regrade of every chosen submission: (the attempt requested by submission,
    how many were skipped, the stream sequence the requests come after)."""
    chosen = await choose(js, args)
    versions = await latest_versions(js, chosen.values()) if args.latest else None
    print(*against(versions), sep="\n")
    since = await regrade_follow.last_seq(js)
    wanted: dict[UUID, int] = {}
    skipped = 0
    now = datetime.now(UTC)
    with tqdm(
        total=len(chosen), desc="regrade", unit="submission", disable=len(chosen) < PROGRESS_FROM
    ) as bar:
        for submission_id, latest in chosen.items():
            why = "no such submission"
            if latest:
                why = await regrades.request(js, latest, now, versions)
            if why is None and latest:
                wanted[submission_id] = regrades.next_attempt(latest)[0] or 0
            else:
                skipped += 1
                bar.write(f"skipped {submission_id}: {why}", file=sys.stdout)
            bar.update()
    return wanted, skipped, since


async def choose(js: JetStreamContext, args: argparse.Namespace) -> dict[UUID, Latest | None]:
    """The chosen submissions by id, with their latest event (None: not found)."""
    if args.submissions:
        ids = dict.fromkeys(args.submissions)
        return {sid: await regrades.latest_of(js, sid) for sid in ids}
    return dict(await regrades.of_assignment(js, None if args.all else args.assignment))


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


def _fail(message: str) -> int:
    print(f"grindstone regrade: {message}", file=sys.stderr)
    return 1
