"""Ungraded runs: RunRequested -> RunStarted -> a sandboxed run -> RunFinished, each once.

On a run's subject (events.run.<user>.<run>): while the RunRequested is the subject's last,
RunStarted goes right after it (expected-sequence appends: whatever graders race, one wins);
a RunStarted last means its grader died: run it again and finish after it; a RunFinished last
means nothing is left to do. A run never touches a submission, a verdict or a point.

Runs come from their own consumer on EVENTS (subjects.RUNS_CONSUMER) and take a slot only when
no student's submission is waiting for one (worker.serve_runs).
"""

import logging
from datetime import UTC, datetime

from nats.aio.msg import Msg
from nats.js import JetStreamContext

from common import metrics, setaside
from common import nats as gnats
from events import (
    CodeError,
    Limits,
    RunFinished,
    RunOutput,
    RunRequested,
    RunStarted,
    codec,
    integrity,
)
from services.grader import appending, consuming, grading, sandbox
from services.grader.appending import After
from services.grader.settings import Settings

log = logging.getLogger(__name__)

CONSUMER = "grader-runs"  # its name on the SET_ASIDE stream
# a run's limits: the assignment's, but never more than these (a run is a quick try)
WALL_MS = 5_000
CPU_MS = 2_000
SHOWN_CHARS = 16 * 1024  # of stdout and of stderr each, in the RunFinished
RETRY_DELAY_S = 2.0
MAX_RACES = 3

RUNS = metrics.REGISTRY.counter(
    "grindstone_grader_runs_total", "Ungraded runs finished, by how they ended.", ("ended",)
)


def is_run_job(msg: Msg) -> bool:
    """A RunRequested, or an event this code cannot read (the handler sets it aside)."""
    try:
        return isinstance(codec.decode(msg.data, msg.headers), RunRequested)
    except codec.Unreadable:
        return True


def limits_of(assignment: Limits) -> Limits:
    return Limits(
        wall_ms=min(assignment.wall_ms, WALL_MS),
        cpu_ms=min(assignment.cpu_ms, CPU_MS),
        memory_mb=assignment.memory_mb,
        output_kb=assignment.output_kb,
    )


class Runs:
    def __init__(
        self,
        js: JetStreamContext,
        settings: Settings,
        box: sandbox.Sandbox,
        assignments: grading.Assignments,
    ) -> None:
        self.js, self.settings, self.box, self.assignments = js, settings, box, assignments

    async def handle(self, msg: Msg) -> None:
        """Ack once the run needs nothing more; on failure give it back for redelivery. An
        event this code cannot read is set aside and acked."""
        seq = msg.metadata.sequence.stream
        async with consuming.settled(msg, RETRY_DELAY_S):
            try:
                event = codec.decode(msg.data, msg.headers)
            except codec.Unreadable as exc:
                original = (msg.subject, msg.data, msg.headers)
                await setaside.record(self.js, CONSUMER, seq, str(exc), original)
                return
            if isinstance(event, RunRequested):
                async with consuming.in_progress(msg, self.settings.ack_wait_s / 3):
                    crashed = msg.metadata.num_delivered > self.settings.dead_after
                    held = (seq, integrity.hash_of(msg.headers))
                    await self._once(msg.subject, event, held, crashed)

    async def _once(self, subject: str, asked: RunRequested, held: After, crashed: bool) -> None:
        after: After | None = held
        for _ in range(MAX_RACES):
            try:
                if after is not None:  # the RunRequested is (we believe) the subject's last
                    started = await self._append(subject, self._started(asked), "started", after)
                    if started is None:  # a grader that died started it: look again
                        raise gnats.ConcurrencyError(subject)
                    after = started
                else:
                    step, last_seq = await self._next_step(subject)
                    if step == "done":
                        return
                    after = (last_seq, None)
                output = _crashed() if crashed else await self._run(asked)
                finished = RunFinished(
                    occurred_at=datetime.now(UTC),
                    run_id=asked.run_id,
                    user_id=asked.user_id,
                    assignment_id=asked.assignment_id,
                    output=output,
                )
                await self._append(subject, finished, "finished", after)
                RUNS.inc(ended=_ended(output))
                return
            except gnats.ConcurrencyError:
                after = None  # someone appended in between: read the subject
        raise gnats.ConcurrencyError(subject)

    async def _next_step(self, subject: str) -> tuple[str, int]:
        """("finish", the RunStarted's seq) when a started run was never finished, else done
        (finished already; a RunRequested still last goes back to the first try)."""
        last = await gnats.last_message(self.js, subject)
        if last is None:
            return "done", 0
        try:
            event = codec.decode(last.data or b"", last.headers)
        except codec.Unreadable:
            return "done", 0
        if isinstance(event, RunStarted):
            return "finish", int(last.seq or 0)
        if isinstance(event, RunRequested):
            raise RuntimeError(f"{subject}: the RunRequested is last again; retrying later")
        return "done", 0

    def _started(self, asked: RunRequested) -> RunStarted:
        return RunStarted(
            occurred_at=datetime.now(UTC),
            run_id=asked.run_id,
            user_id=asked.user_id,
            grader_id=self.settings.grader_id,
        )

    async def _append(
        self, subject: str, event: RunStarted | RunFinished, step: str, after: After
    ) -> After | None:
        msg_id = f"run-{step}:{event.run_id}"
        return await appending.append(self.js, subject, event, msg_id=msg_id, after=after)

    async def _run(self, asked: RunRequested) -> RunOutput:
        published = await self.assignments.version(asked.assignment_id, asked.assignment_sha256)
        if published is None:
            error = CodeError(
                error=f"The assignment {asked.assignment_id} does not exist (any more)."
            )
            return RunOutput(error=error)
        call = asked.call if published.test_style == "module" else None
        job = sandbox.SandboxRun(
            code=asked.code,
            test_style=published.test_style,
            entry_point=published.entry_point,
            limits=limits_of(published.limits),
            stdin=asked.stdin,
            call=call,
        )
        ran = (await self.box.run(job)).ran
        if ran is None:
            raise sandbox.SandboxError("the judge sent no result for the run")
        error = None
        if ran.error is not None:
            text = f"{ran.error.type}: {ran.error.detail}" if ran.error.detail else ran.error.type
            error = CodeError(error=text, line=ran.error.line, source_line=ran.error.source_line)
        return RunOutput(
            stdout=_capped(ran.stdout),
            stderr=_capped(ran.stderr),
            value=ran.value,
            error=error,
            limit=ran.limit,
            time_ms=ran.time_ms,
        )


def _capped(text: str) -> str:
    if len(text) <= SHOWN_CHARS:
        return text
    return f"{text[:SHOWN_CHARS]}\n… ({len(text) - SHOWN_CHARS} more characters not shown)"


def _crashed() -> RunOutput:
    """A run that kept crashing its graders is not run again."""
    error = "The sandbox failed on this run several times; it was not run again. Try once more."
    return RunOutput(error=CodeError(error=error))


def _ended(output: RunOutput) -> str:
    if output.limit:
        return output.limit
    return "error" if output.error is not None else "ok"
