"""Grading one submission: its code and assignment from the stream, the sandbox, the cache."""

import logging
from uuid import UUID

import msgspec
import nats.errors
import nats.js.errors
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from common import nats as gnats
from events import AssignmentPublished, Feedback, SubmissionCreated, Verdict, codec, subjects
from services.grader import sandbox, telemetry, verdict

log = logging.getLogger(__name__)

KEPT_VERSIONS = 1024  # assignment versions a grader process keeps (the least recently used go)
NOT_FOUND = (
    "(Graded against the assignment's latest version: the version this submission was made "
    "against is no longer on record.)"
)


class Outcome(msgspec.Struct, frozen=True, kw_only=True):
    status: Verdict
    feedback: Feedback
    runtime_ms: int | None = None
    assignment_sha256: str | None = None  # the assignment content actually graded against
    in_place_of: str | None = None  # the version asked for, when it was not found


class CachedVerdict(msgspec.Struct, frozen=True, kw_only=True):
    """A value of the `grading-verdicts` bucket."""

    submission_id: UUID
    status: Verdict
    feedback: Feedback


async def created_event(js: JetStreamContext, subject: str) -> SubmissionCreated:
    """The SubmissionCreated that opens a submission's subject (a re-grade needs its code)."""
    raw = await js.get_msg(subjects.EVENTS_STREAM, seq=1, subject=subject, next=True, direct=True)
    event = codec.decode(raw.data or b"", raw.headers)
    if not isinstance(event, SubmissionCreated):
        raise LookupError(f"{subject} does not start with a SubmissionCreated")
    return event


class Assignments:
    """The assignment versions graded against, by (assignment id, content hash). A version never
    changes, so one found is kept; the latest, given when a version is not found, is not."""

    def __init__(self, js: JetStreamContext, keep: int = KEPT_VERSIONS) -> None:
        self.js, self.keep = js, keep
        self.kept: dict[tuple[UUID, str], AssignmentPublished] = {}

    async def version(self, assignment_id: UUID, sha: str) -> AssignmentPublished | None:
        """The version with this hash, else the latest (None: never published)."""
        key = (assignment_id, sha)
        found = self.kept.pop(key, None) or await gnats.published_version(
            self.js, assignment_id, sha
        )
        if found is None:
            return await gnats.published(self.js, assignment_id)
        self.kept[key] = found  # last in the order: the most recently used
        if len(self.kept) > self.keep:
            del self.kept[next(iter(self.kept))]
        return found


async def grade(
    assignments: Assignments, created: SubmissionCreated, box: sandbox.Sandbox, sha: str
) -> Outcome:
    """Grade the submission's code against the assignment version `sha` (or, when the stream no
    longer has it, the latest, and the feedback says so)."""
    published = await assignments.version(created.assignment_id, sha)
    if published is None:
        message = (
            f"The assignment {created.assignment_id} does not exist (any more), "
            "so this submission cannot be graded."
        )
        return Outcome(status="error", feedback=Feedback(message=message))
    result = await telemetry.run(
        box,
        sandbox.SandboxJob(
            code=created.code,
            tests=published.tests,
            test_style=published.test_style,
            entry_point=published.entry_point,
            limits=published.limits,
        ),
    )
    status, feedback = verdict.judge(result)
    telemetry.graded(status, result.runtime_ms)
    graded = published.content_sha256
    outcome = Outcome(
        status=status, feedback=feedback, runtime_ms=result.runtime_ms, assignment_sha256=graded
    )
    return outcome if graded == sha else _in_place_of(sha, outcome, created)


def _in_place_of(sha: str, outcome: Outcome, created: SubmissionCreated) -> Outcome:
    """The latest version was graded because version `sha` was not found: say so."""
    log.warning(
        "assignment %s has no version %s: %s graded against the latest, %s",
        created.assignment_id, sha, created.submission_id, outcome.assignment_sha256,
    )  # fmt: skip
    message = f"{outcome.feedback.message} {NOT_FOUND}"
    feedback = msgspec.structs.replace(outcome.feedback, message=message)
    return msgspec.structs.replace(outcome, feedback=feedback, in_place_of=sha)


class Verdicts:
    """The `grading-verdicts` bucket, looked up once (each look-up is a stream-info request)."""

    def __init__(self, js: JetStreamContext) -> None:
        self.js = js
        self.bucket: KeyValue | None = None

    async def remember(self, created: SubmissionCreated, outcome: Outcome) -> None:
        """Cache a passed/failed verdict for identical code, by the version graded against; an
        `error`, or a verdict whose feedback says the version asked for was missing, is never
        reused."""
        if outcome.status == "error" or outcome.in_place_of or outcome.assignment_sha256 is None:
            return
        key = subjects.verdict_key(outcome.assignment_sha256, created.code_sha256)
        value = CachedVerdict(
            submission_id=created.submission_id, status=outcome.status, feedback=outcome.feedback
        )
        try:
            if self.bucket is None:
                self.bucket = await self.js.key_value(subjects.VERDICT_CACHE_BUCKET)
            await self.bucket.put(key, msgspec.json.encode(value))
        except (nats.errors.Error, TimeoutError) as exc:  # only a later reuse is lost
            log.warning("could not cache the verdict of %s: %s", created.submission_id, exc)

    async def forget(self, created: SubmissionCreated, outcome: Outcome) -> None:
        """Take back a verdict cached for a grading that was not recorded after all (a deletion
        overtook it): only verdicts students were given are reused."""
        if self.bucket is None or outcome.assignment_sha256 is None:
            return
        key = subjects.verdict_key(outcome.assignment_sha256, created.code_sha256)
        try:
            entry = await self.bucket.get(key)
            if msgspec.json.decode(entry.value or b"{}").get("submission_id") == str(
                created.submission_id
            ):
                await self.bucket.delete(key, last=entry.revision)
        except (nats.errors.Error, nats.js.errors.Error, TimeoutError, ValueError) as exc:
            log.warning("could not take back the verdict of %s: %s", created.submission_id, exc)
