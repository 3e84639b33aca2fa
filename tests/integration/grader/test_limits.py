"""A problem set's own limits reach the verdict: loaded with `grindstone assignments load`,
graded by the real worker, the verdict names the limit and its value."""

import argparse
import json
from pathlib import Path

from events import AssignmentPublished, SubmissionGraded
from grindstone_cli import assignments
from tests.integration.grader.helpers import (
    created,
    history,
    humaneval,
    settled,
    subject_of,
    submit,
)
from tests.integration.grader.test_worker import grading, settings_for


async def load(path: Path, nats_url: str) -> None:
    root = argparse.ArgumentParser(prog="grindstone")
    assignments.add_parser(root.add_subparsers(dest="command", required=True))
    args = root.parse_args(["assignments", "load", str(path), "--nats-url", nats_url])
    assert await args.run(args) == 0


async def test_the_limits_a_problem_set_gives_are_the_ones_enforced_and_named(
    js, servers, tmp_path: Path
):
    record = {
        **humaneval(2),
        "id": "limits/truncate",
        "limits": {"wall_ms": 2000, "cpu_ms": 1000, "memory_mb": 64, "output_kb": 2},
    }
    problem_set = tmp_path / "set.jsonl"
    problem_set.write_text(json.dumps(record) + "\n")
    await load(problem_set, servers.nats_url)
    published = await history(js, "events.assignment.>")
    assert isinstance(published[0], AssignmentPublished)
    assignment = published[0]
    assert (assignment.limits.wall_ms, assignment.limits.output_kb) == (2000, 2)
    entry = record["entry_point"]
    programs = {
        f"import time\n\ndef {entry}(x):\n    time.sleep(30)\n": (
            "Time limit exceeded: the program ran longer than 2 s (wall clock)."
        ),
        f"def {entry}(x):\n    while True:\n        pass\n": (
            "Time limit exceeded: the program used more than 1 s of CPU time."
        ),
        f"def {entry}(x):\n    return bytearray(100 * 2**20)\n": "Memory limit exceeded (64 MiB).",
        f"def {entry}(x):\n    print('x' * 4000)\n": "Output limit exceeded (2 KiB).",
    }
    events = [created(assignment, code) for code in programs]
    for event in events:
        await submit(js, event)
    async with grading(js, settings_for(servers, concurrency=4)):
        await settled(js)
    for event, message in zip(events, programs.values(), strict=True):
        graded = (await history(js, subject_of(event)))[-1]
        assert isinstance(graded, SubmissionGraded)
        assert (graded.status, graded.feedback.message) == ("failed", message)
