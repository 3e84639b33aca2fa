"""The fidelity suite (tests/data/fidelity.jsonl, written for this project): course-style
problems whose tests use the student's code as Python would (trees, linked lists, classes,
exceptions, generators, standard-library values, types as arguments, in-place changes, printed
output, input, recursion). Through the real sandbox, every reference passes and every wrong
twin fails."""

import asyncio
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from events import Limits
from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxJob

FIDELITY = Path(__file__).resolve().parents[2] / "data" / "fidelity.jsonl"
AT_ONCE = 4


def records() -> dict[str, list[dict[str, Any]]]:
    by_category: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in FIDELITY.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            by_category[record["id"].split("/")[1]].append(record)
    return dict(by_category)


RECORDS = records()


def test_the_suite_is_large_enough():
    assert sum(len(found) for found in RECORDS.values()) >= 80
    assert len(RECORDS) >= 10


async def run(box: Sandbox, record: dict[str, Any], code: str) -> tuple[str, str]:
    job = SandboxJob(
        code=code,
        tests=record["tests"],
        test_style="module",
        entry_point=record.get("entry_point"),
        limits=Limits(),
    )
    status, feedback = verdict.judge(await box.run(job))
    failed = [
        f"{t.name}: {t.message} {t.error or ''}" for t in feedback.tests if t.outcome != "passed"
    ]
    return status, f"{feedback.message} {failed}"


@pytest.mark.parametrize("category", sorted(RECORDS))
async def test_every_reference_passes_and_every_wrong_twin_fails(box: Sandbox, category: str):
    gate = asyncio.Semaphore(AT_ONCE)

    async def check(record: dict[str, Any]) -> list[str]:
        async with gate:
            status, said = await run(box, record, record["solution"])
            wrong, wrong_said = await run(box, record, record["wrong_solution"])
        problems = []
        if status != "passed":
            problems.append(f"{record['id']}: the reference got {status}: {said}")
        if wrong != "failed":
            problems.append(f"{record['id']}: the wrong twin got {wrong}: {wrong_said}")
        return problems

    found = await asyncio.gather(*(check(record) for record in RECORDS[category]))
    problems = [problem for one in found for problem in one]
    assert not problems, "\n".join(problems)
