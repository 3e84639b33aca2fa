"""Hostile submissions through the real sandbox: each gets its verdict and its words, nothing
it tries reaches past its confinement, and the same sandbox then passes a correct submission.

One sandbox grades every program of hostile_programs.toml once, many at a time (a module
fixture); the tests then look at what each got.
"""

import asyncio
import glob
import os
import socket
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from events import Feedback, Limits, Verdict
from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxJob
from tests.integration.grader import hostile_programs as hostile
from tests.integration.grader.helpers import STYLES

AT_ONCE = 12  # programs graded at once (a sandbox takes 64); the CPU hogs start first
CORRECT = Limits(wall_ms=30_000)  # the correct submission after each: slack for a busy machine
WAIT_S = 30.0


@dataclass
class Graded:
    status: Verdict
    feedback: Feedback
    after: tuple[Verdict, str]  # the correct submission graded right after it


@dataclass
class Neighbours:
    snooper: Graded
    neighbour: tuple[Verdict, str]


def job(record: dict[str, Any], code: str, limits: Limits) -> SandboxJob:
    return SandboxJob(
        code=code,
        tests=record["tests"],
        test_style=STYLES[record["test_style"]],  # type: ignore[arg-type]
        entry_point=record["entry_point"],
        limits=limits,
    )


async def grade(box: Sandbox, record: dict[str, Any], code: str, limits: Limits) -> Graded:
    status, feedback = verdict.judge(await box.run(job(record, code, limits)))
    after, said = verdict.judge(await box.run(job(record, record["solution"], CORRECT)))
    return Graded(status, feedback, (after, said.message))


async def written(box: Sandbox, marker: str) -> Path:
    """The neighbour's marker, seen through the zygote's mount namespace (the slots' tmpfs)."""
    pattern = f"/proc/{box.pids()[0]}/root{tempfile.gettempdir()}/grindstone-sandbox-*/*/work/"
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        if found := await asyncio.to_thread(glob.glob, pattern + marker):
            return Path(found[0])
        await asyncio.sleep(0.02)
    raise TimeoutError(f"the neighbour did not write {marker}")


async def neighbours(box: Sandbox, fill: dict[str, str]) -> Neighbours:
    """The snooper runs while the neighbour's marker is there; then the neighbour may end."""
    probe, limits = hostile.RECORDS["probe"], hostile.LIMITS
    neighbour_code = fill_in(hostile.NEIGHBOUR, fill)
    neighbour = asyncio.create_task(box.run(job(probe, neighbour_code, limits["slow"])))
    marker = await written(box, fill["@MARKER@"])
    snooper = await grade(box, probe, fill_in(hostile.SNOOPER, fill), limits["fast"])
    await asyncio.to_thread(marker.with_name("go").write_text, "")
    status, feedback = verdict.judge(await neighbour)
    return Neighbours(snooper, (status, feedback.message))


def fill_in(code: str, fill: dict[str, str]) -> str:
    for mark, value in fill.items():
        code = code.replace(mark, value)
    return code


@pytest.fixture(scope="module")
def listener() -> Iterator[socket.socket]:
    """A port listening on the grader's loopback, for the programs to try to reach."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def graded(listener: socket.socket) -> dict[str, Any]:
    fill = {
        "@PORT@": str(listener.getsockname()[1]),
        "@GRADER_PID@": str(os.getpid()),
        "@SECRET@": hostile.sha256(hostile.SECRET),
        "@SECRET_LEN@": str(len(hostile.SECRET)),
        "@ANSWER@": hostile.sha256(hostile.ANSWER),
        "@ANSWER_LEN@": str(len(hostile.ANSWER)),
        "@MARKER@": f"marker-{uuid.uuid4().hex}.txt",
    }
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(case: hostile.Case) -> Graded:
        async with gate:
            return await grade(box, case.record, fill_in(case.code, fill), case.limits)

    cases = sorted(hostile.CASES, key=lambda case: case.limits != hostile.LIMITS["slow"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRINDSTONE_SECRET", hostile.SECRET)  # before the sandbox starts
        box = Sandbox()
        await box.start()
        try:
            done = await asyncio.gather(
                neighbours(box, fill), *map(one, cases), return_exceptions=True
            )
        finally:
            await box.close()
    return dict(zip(["neighbours", *(case.name for case in cases)], done, strict=True))


def outcome(graded: dict[str, Any], name: str) -> Any:
    result = graded[name]
    if isinstance(result, BaseException):
        raise result
    return result


def every_output(feedback: Feedback) -> str:
    return feedback.output + "".join(test.output + test.message for test in feedback.tests)


TRACEBACK = "Traceback (most recent call last):"


def told(feedback: Feedback) -> str:
    """The overall message, a failure's told with its first failed test's detail (the cases
    were written when the summary quoted it): `N of M tests failed: test_x — detail.`"""
    failed = [t for t in feedback.tests if t.outcome == "failed"]
    if not failed or " tests failed: " not in feedback.message:
        return feedback.message
    first = failed[0]
    if first.expected is not None and first.actual is not None:
        detail = f"expected {first.expected}, got {first.actual}"
    elif first.error and first.line:
        detail = f"{first.error} on line {first.line} of your code"
    else:
        lines = first.message.strip().splitlines() or ["failed"]
        detail = lines[0]
        if detail.endswith(TRACEBACK) and len(lines) > 1:  # told by its last line
            detail = detail.removesuffix(TRACEBACK) + lines[-1].strip()
    detail = detail.removesuffix(".")
    counted = feedback.message.split(": ", 1)[0]
    return f"{counted}: {first.name} — {verdict.cap(detail, 300)}."


@pytest.mark.parametrize("case", hostile.CASES, ids=lambda case: case.name.replace(" ", "_"))
def test_a_hostile_program_gets_its_verdict_and_a_correct_one_passes_after_it(
    graded: dict[str, Any], case: hostile.Case
):
    got: Graded = outcome(graded, case.name)
    assert got.status == "failed", got.feedback
    assert told(got.feedback) in case.messages, (
        f"A HOLE: {case.hole}" if case.hole else got.feedback
    )
    if case.test is not None:
        assert got.feedback.tests[0].message == case.test, got.feedback
    if case.output_lacks is not None:
        assert case.output_lacks not in every_output(got.feedback), got.feedback
    assert got.after == ("passed", case.record["passed"])


def test_a_job_cannot_find_the_files_of_a_job_running_beside_it(graded: dict[str, Any]):
    got: Neighbours = outcome(graded, "neighbours")
    assert (got.snooper.status, told(got.snooper.feedback)) == ("failed", hostile.SNOOPED)
    assert got.neighbour == ("passed", "The test passed.")
    assert got.snooper.after == ("passed", "The test passed.")


def test_nothing_reached_the_port_listening_on_the_loopback(
    graded: dict[str, Any], listener: socket.socket
):
    outcome(graded, "connect to the grader's loopback")
    listener.settimeout(0.2)
    with pytest.raises(TimeoutError):
        listener.accept()
