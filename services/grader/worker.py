"""The grading worker: pulls submission events and grades each job exactly once.

Per job (docs/design.md, "Write rules"): the job event is still the subject's last message ->
append GradingStarted expecting its seq (tried at once for a job delivered from EVENTS, chained
to the event in hand: no read unless JetStream refuses it); a GradingStarted of the same
attempt (a crashed grader's) -> grade again; anything else -> nothing to do. Then grade
(against the assignment version the submission, or its regrade, names), remember a
passed/failed verdict, append Graded expecting the started event's seq (a deletion that
overtook it takes the verdict back), and only then ack.

A job delivered more than `dead_after` times has crashed its graders that often: it is not
graded again but set aside (dead_letter.py) and gets a Graded `error`, by the same protocol.

Jobs come from two consumers: students' new submissions (SubmissionCreated on EVENTS) and
re-grades (a copy of the SubmissionRegradeRequested on the REGRADES queue, naming the event's
subject and sequence; common/regrade_queue.py). Students' come first (consuming.Priority).
"""

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import msgspec
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import BadRequestError, NotFoundError

from common import nats as gnats
from common import regrade_queue, setaside
from common.settings import nats_replicas
from events import (
    Event,
    SubmissionCreated,
    SubmissionGraded,
    SubmissionGradingStarted,
    SubmissionRegradeRequested,
    codec,
    fold,
    integrity,
    subjects,
)
from services.grader import appending, consuming, dead_letter, grading, heartbeat, sandbox
from services.grader import runs as runs_
from services.grader.appending import After
from services.grader.settings import Settings
from services.grader.steps import Job, Step, next_step

log = logging.getLogger(__name__)

RETRY_DELAY_S = 5.0
CONSUMER = "grader"  # its name on the SET_ASIDE stream
MAX_RACES = 3  # re-reads after a lost expected-sequence check before giving the job back
# (job, its GradingStarted, appended or still being appended): append the Graded
Finish = Callable[["Job", Awaitable[After]], Awaitable[None]]


def consumer_config(
    settings: Settings,
    durable: str = subjects.GRADER_CONSUMER,
    filter_subject: str | None = subjects.SUBMISSIONS_FILTER,
) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=durable,
        filter_subject=filter_subject,
        deliver_policy=DeliverPolicy.ALL,
        ack_policy=AckPolicy.EXPLICIT,
        ack_wait=settings.ack_wait_s,
        max_deliver=settings.max_deliver,
        num_replicas=nats_replicas(),
    )


async def ensure_consumer(
    js: JetStreamContext,
    settings: Settings,
    stream: str = subjects.EVENTS_STREAM,
    durable: str = subjects.GRADER_CONSUMER,
) -> None:
    """Create a shared durable consumer if it is missing (another grader may race us), or
    bring its ack wait and deliveries to these settings: students' (or runs') on EVENTS, or
    re-grades' on REGRADES."""
    if stream != subjects.EVENTS_STREAM:
        wanted = consumer_config(settings, regrade_queue.CONSUMER, None)
    elif durable == subjects.RUNS_CONSUMER:
        wanted = consumer_config(settings, durable, subjects.RUNS_FILTER)
    else:
        wanted = consumer_config(settings)
    try:
        info = await js.consumer_info(stream, wanted.durable_name or "")
    except NotFoundError:
        with contextlib.suppress(BadRequestError):
            await js.add_consumer(stream, wanted)
        return
    if (info.config.ack_wait, info.config.max_deliver) != (wanted.ack_wait, wanted.max_deliver):
        with contextlib.suppress(BadRequestError):
            await js.add_consumer(stream, wanted)


async def run(js: JetStreamContext, settings: Settings) -> None:
    """Fetch and grade until cancelled, at most `settings.concurrency` jobs at once, students'
    submissions before re-grades."""
    # a grader starting while a NATS node is lost waits for the streams' new leaders
    await gnats.settled(lambda: regrade_queue.ensure_stream(js))
    await gnats.settled(lambda: ensure_consumer(js, settings))
    await gnats.settled(lambda: ensure_consumer(js, settings, regrade_queue.STREAM))
    await gnats.settled(
        lambda: ensure_consumer(js, settings, subjects.EVENTS_STREAM, subjects.RUNS_CONSUMER)
    )
    students = await gnats.settled(
        lambda: js.pull_subscribe_bind(
            durable=subjects.GRADER_CONSUMER, stream=subjects.EVENTS_STREAM
        )
    )
    regrades = await gnats.settled(
        lambda: js.pull_subscribe_bind(durable=regrade_queue.CONSUMER, stream=regrade_queue.STREAM)
    )
    runs = await gnats.settled(
        lambda: js.pull_subscribe_bind(
            durable=subjects.RUNS_CONSUMER, stream=subjects.EVENTS_STREAM
        )
    )
    box = sandbox.Sandbox()
    await box.warm(settings.concurrency)
    for layer, state in box.layers.items():
        log.info("sandbox layer %s: %s", layer, state)
    worker, jobs = Worker(js, settings, box), consuming.Jobs(settings.concurrency)
    beating = heartbeat.start(js, settings.grader_id, settings.concurrency, lambda: len(jobs.tasks))
    queues = consuming.Priority(students, regrades, is_student_job, settings.student_slots)
    ungraded = runs_.Runs(js, settings, box, worker.assignments)
    serving_runs = asyncio.create_task(
        consuming.serve_runs(runs, queues, jobs, runs_.is_run_job, ungraded.handle)
    )
    jobs.watch(serving_runs)
    try:
        while True:
            await jobs.wait_for_a_slot()
            found, regraded = await jobs.guard(queues.next(jobs))
            for msg in [*found, *regraded]:
                jobs.start(worker.handle_message(msg))
    finally:
        beating.cancel()
        serving_runs.cancel()
        await asyncio.gather(serving_runs, return_exceptions=True)
        await jobs.cancel()
        await box.close()
        for sub in (students, regrades, runs):
            with contextlib.suppress(Exception):
                await sub.unsubscribe()


def is_student_job(msg: Msg) -> bool:
    """A message of the students' consumer that may need grading: a SubmissionCreated not
    graded at once, or an event this code cannot read (the handler sets it aside)."""
    try:
        event = codec.decode(msg.data, msg.headers)
    except codec.Unreadable:
        return True
    return isinstance(event, SubmissionCreated) and event.reused is None


class Worker:
    def __init__(self, js: JetStreamContext, settings: Settings, box: sandbox.Sandbox) -> None:
        self.js, self.settings, self.box = js, settings, box
        self.verdicts = grading.Verdicts(js)
        self.assignments = grading.Assignments(js)

    async def handle_message(self, msg: Msg) -> None:
        """Ack once the message needs nothing more; on failure give it back for redelivery.

        A job this code cannot read (malformed, unknown, newer) is set aside and acked.
        """
        async with consuming.settled(msg, RETRY_DELAY_S):
            job = await self._readable_job_of(msg)
            if job is not None:
                async with consuming.in_progress(msg, self.settings.ack_wait_s / 3):
                    await self._once(job, self._finish_for(msg), _held(msg, job))

    async def _readable_job_of(self, msg: Msg) -> Job | None:
        """The job, or None: nothing to grade, or set aside because it cannot be read (nor
        can a regrade whose subject has no SubmissionCreated: a LookupError)."""
        subject, seq = _event_of(msg)
        try:
            return await self._job_of(msg, subject, seq)
        except (codec.Unreadable, LookupError) as exc:
            await setaside.record(
                self.js, CONSUMER, seq, str(exc), (subject, msg.data, msg.headers)
            )
            return None

    async def _job_of(self, msg: Msg, subject: str, seq: int) -> Job | None:
        event = codec.decode(msg.data, msg.headers)
        match event:
            case SubmissionCreated(reused=None):
                return Job(subject=subject, seq=seq, created=event, attempt=1)
            case SubmissionRegradeRequested(attempt=attempt, assignment_sha256=sha) if (
                msg.metadata.stream == regrade_queue.STREAM
            ):  # on EVENTS it is only the record: its job comes from the REGRADES queue
                created = await grading.created_event(self.js, subject)
                return Job(
                    subject=subject,
                    seq=seq,
                    created=created,
                    attempt=attempt,
                    assignment_sha256=sha,
                )
        return None

    def _finish_for(self, msg: Msg) -> Finish:
        """Grade, unless the message came back too often: then set the job aside."""
        delivered = msg.metadata.num_delivered
        if delivered > self.settings.dead_after:
            return functools.partial(self._set_aside, msg)
        if delivered > 1:
            log.info("%s redelivered (delivery %d)", msg.subject, delivered)
        return self._grade_and_record

    async def _once(self, job: Job, finish: Finish, held: After | None) -> None:
        """`held`: the job event, when the grader holds it: the first try starts right after
        it without reading the subject (JetStream refuses it unless it is still the last)."""
        for _ in range(MAX_RACES):
            if held is not None:
                step, after, held = "start", held, None
            else:
                step, seq, job = await self._next_step(job)
                after = (seq, None)
            if step == "done":
                return
            try:
                starting = self._append_started(job, after) if step == "start" else _given(after)
                await finish(job, starting)
                return
            except gnats.ConcurrencyError:
                continue  # someone appended in between: look at the subject again
        raise gnats.ConcurrencyError(job.subject)

    async def _next_step(self, job: Job) -> tuple[Step, int, Job]:
        """The step, the sequence the next append expects (the subject's last), and the job
        (marked deleted when the student deleted the submission while it waited)."""
        last = await gnats.last_message(self.js, job.subject)
        if last is None:
            return "done", 0, job
        if last.seq == job.seq:
            return "start", job.seq, job
        found = gnats.subject_messages(self.js, job.subject)
        events = [(int(m.seq or 0), e) async for m in found if (e := _decoded(m.data, m.headers))]
        state = fold.fold(events)  # unreadable events (set aside) are passed over
        if state is not None and state.deleted:
            job = msgspec.structs.replace(job, deleted=True)
        return next_step(job, state), int(last.seq or 0), job

    async def _append_started(self, job: Job, after: After) -> After:
        started = SubmissionGradingStarted(
            occurred_at=datetime.now(UTC),
            submission_id=job.created.submission_id,
            user_id=job.created.user_id,
            assignment_id=job.created.assignment_id,
            attempt=job.attempt,
            grader_id=self.settings.grader_id,
        )
        msg_id = f"grading:{job.created.submission_id}:{job.attempt}"
        appended = await appending.append(self.js, job.subject, started, msg_id=msg_id, after=after)
        if appended is None:  # a grader that crashed started this attempt: look again
            raise gnats.ConcurrencyError(job.subject)
        return appended

    async def _grade_and_record(self, job: Job, starting: Awaitable[After]) -> None:
        # the sandbox runs while the GradingStarted is appended (on a cluster, a quorum's round
        # trip); both are awaited, so a refused one leaves no run behind, its verdict unused
        started, outcome = await asyncio.gather(
            starting,
            grading.grade(self.assignments, job.created, self.box, job.version),
            return_exceptions=True,
        )
        if isinstance(started, BaseException):
            raise started
        if isinstance(outcome, BaseException):
            raise outcome
        # cached before it is heard: identical code sent the moment the student sees the
        # verdict reuses it; taken back if a deletion overtook the grading
        await self.verdicts.remember(job.created, outcome)
        try:
            await self._record(job, outcome, started)
        except gnats.ConcurrencyError:
            await self.verdicts.forget(job.created, outcome)
            raise

    async def _record(self, job: Job, outcome: grading.Outcome, after: After) -> None:
        """Append the Graded; a deletion during the grading moves the subject on: append after
        it the verdict already in hand, not a second grading's."""
        for _ in range(MAX_RACES):
            try:
                await self._append_graded(job, outcome, after)
                return
            except gnats.ConcurrencyError:
                step, seq, job = await self._next_step(job)
                after = (seq, None)
                if step != "finish":
                    raise  # not this grading's to record: the caller looks again
        raise gnats.ConcurrencyError(job.subject)

    async def _set_aside(self, msg: Msg, job: Job, starting: Awaitable[After]) -> None:
        started = await starting
        created, delivered = job.created, msg.metadata.num_delivered
        await dead_letter.publish(
            self.js,
            msg,
            job.subject,
            job.seq,
            user_id=created.user_id,
            submission_id=created.submission_id,
            attempt=job.attempt,
            grader_id=self.settings.grader_id,
        )
        # deliveries after the dead_after-th one only tried to set the job aside
        feedback = dead_letter.feedback(crashes=self.settings.dead_after)
        outcome = grading.Outcome(status="error", feedback=feedback)
        await self._append_graded(job, outcome, started)
        where = subjects.dead_letter(created.user_id, created.submission_id)
        log.warning("set %s aside after %d deliveries: see %s", job.subject, delivered, where)

    async def _append_graded(self, job: Job, outcome: grading.Outcome, after: After) -> None:
        created = job.created
        graded = SubmissionGraded(
            occurred_at=datetime.now(UTC),
            submission_id=created.submission_id,
            user_id=created.user_id,
            assignment_id=created.assignment_id,
            attempt=job.attempt,
            status=outcome.status,
            feedback=outcome.feedback,
            runtime_ms=outcome.runtime_ms,
            deleted=job.deleted,
            assignment_sha256=outcome.assignment_sha256,
        )
        msg_id = f"graded:{created.submission_id}:{job.attempt}"
        # a duplicate (None): this verdict's append already went through
        await appending.append(self.js, job.subject, graded, msg_id=msg_id, after=after)
        log.info(
            "graded %s attempt %d: %s (assignment version %s)",
            created.submission_id, job.attempt, outcome.status, outcome.assignment_sha256,
        )  # fmt: skip


def _event_of(msg: Msg) -> tuple[str, int]:
    """The EVENTS subject and sequence of the job's event (a re-grade job names them)."""
    if msg.metadata.stream == regrade_queue.STREAM:
        located = regrade_queue.located(msg.headers)
        if located is not None:
            return located
    return msg.subject, msg.metadata.sequence.stream


async def _given(after: After) -> After:
    return after


def _held(msg: Msg, job: Job) -> After | None:
    """The job event as delivered, when the message is that event itself (a re-grade's comes
    from the REGRADES queue)."""
    if msg.metadata.stream != subjects.EVENTS_STREAM or msg.subject != job.subject:
        return None
    return job.seq, integrity.hash_of(msg.headers)


def _decoded(data: bytes | None, headers: dict[str, str] | None) -> Event | None:
    try:
        return codec.decode(data or b"", headers)
    except codec.Unreadable:
        return None
