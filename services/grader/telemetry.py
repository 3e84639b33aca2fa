"""The grader's metrics: outcomes and durations of its gradings and failures of its sandbox
layers (served on GRADER_METRICS_PORT with the queues' depth, common/system_metrics.py)."""

from common import metrics
from events import Verdict
from services.grader import sandbox

GRADED = metrics.REGISTRY.counter(
    "grindstone_grader_graded_total", "Submissions graded in the sandbox, by verdict.", ("status",)
)
DURATION = metrics.REGISTRY.histogram(
    "grindstone_grader_grading_seconds",
    "Time a grading took in the sandbox (the job's run), by verdict.",
    ("status",),
)
SANDBOX_FAILURES = metrics.REGISTRY.counter(
    "grindstone_grader_sandbox_failures_total",
    "Runs the sandbox itself failed (graded again later), by the layer that failed.",
    ("layer",),
)
# the confinement layers the zygote probes; a failure naming none of them is the judge's
LAYERS = ("landlock", "seccomp", "rlimit", "uid", "network", "tmpfs")


def graded(status: Verdict, runtime_ms: int | None) -> None:
    GRADED.inc(status=status)
    DURATION.observe((runtime_ms or 0) / 1000, status=status)


async def run(box: sandbox.Sandbox, job: sandbox.SandboxJob) -> sandbox.RunResult:
    """`box.run(job)`, counting a failure of the sandbox by its layer."""
    try:
        return await box.run(job)
    except sandbox.SandboxError as exc:
        SANDBOX_FAILURES.inc(layer=layer_of(str(exc)))
        raise


def layer_of(reason: str) -> str:
    """zygote (the sandbox's process or its socket), judge_deadline, a confinement layer a
    child could not take, or judge (anything else the judge reported)."""
    text = reason.lower()
    if text.startswith("the sandbox failed"):
        return "zygote"
    if "did not finish in time" in text:
        return "judge_deadline"
    return next((layer for layer in LAYERS if layer in text), "judge")
