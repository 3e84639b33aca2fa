"""`grindstone assignments check FILE.jsonl`: every record's solutions through the real sandbox."""

import argparse
import asyncio
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from events import Feedback, Verdict
from grindstone_cli import checked, problemset
from grindstone_cli.checked import Run, Which
from grindstone_cli.problemset import Record
from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxError, SandboxJob

PROGRESS_FROM = 20  # runs; fewer get no progress bar
ATTEMPTS = 3  # a run the sandbox itself fails (never a verdict) is tried again, as the grader does
DESCRIPTION = """\
Run every record's `solution` (its reference) and, where given, its `wrong_solution` against
the record's tests in the grader's own sandbox, and judge each run as a student's submission is
judged. Report each record whose reference does not pass or whose wrong solution does not fail,
with the feedback a student would read, then a summary line. A record without a `solution` is
counted as not checked (its wrong solution is still run). Needs no running system; run it as
root, like the grader, so that every layer of the sandbox is on. Exit status: 0 when there is
no problem, 1 when there is one (or the sandbox does not start), 2 when the file cannot be
read or a record is invalid.
"""


def add_parser(actions: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    check = actions.add_parser(
        "check",
        help="run every reference (and wrong) solution of a problem set in the sandbox",
        description=DESCRIPTION,
    )
    check.add_argument("file", type=Path, metavar="FILE.jsonl", help="the problem set to check")
    check.add_argument(
        "--concurrency",
        type=_positive,
        default=2 * (os.cpu_count() or 1),
        metavar="N",
        help="runs at once (default: twice the CPUs, %(default)s here)",
    )
    check.add_argument(
        "--json",
        action="store_true",
        help='print one line per problem, {"source_id", "line", "solution", "status", '
        '"feedback"}, then a summary object {"records", "references", "references_passed", '
        '"wrong_solutions", "wrong_solutions_failed", "not_checked", "problems"}',
    )
    check.set_defaults(run=run)


async def run(args: argparse.Namespace) -> int:
    try:
        records = problemset.read(args.file)
    except problemset.InvalidFile as exc:
        print(f"grindstone assignments check: {exc}", file=sys.stderr)
        return 2
    box = Sandbox()
    try:
        await box.start()
        _warn_about_missing_layers(box)
        runs = await check(box, records, args.concurrency)
    except (SandboxError, OSError) as exc:
        hint = "" if os.geteuid() == 0 else " (run it as root, like the grader)"
        print(
            f"grindstone assignments check: the sandbox did not start: {exc}{hint}", file=sys.stderr
        )
        return 1
    finally:
        await box.close()
    summary = checked.summarize(records, runs)
    checked.report([r for r in runs if r.problem], summary, as_json=args.json)
    return 1 if summary.problems else 0


async def check(box: Sandbox, records: list[Record], concurrency: int) -> list[Run]:
    """Every solution of every record, judged, in file order."""
    jobs = list(_jobs(records))
    at_once = asyncio.Semaphore(concurrency)
    with tqdm(total=len(jobs), desc="check", unit="run", disable=len(jobs) < PROGRESS_FROM) as bar:

        async def one(record: Record, which: Which, code: str) -> Run:
            async with at_once:
                done = await judge(box, record, which, code)
            bar.update()
            return done

        return list(await asyncio.gather(*(one(*job) for job in jobs)))


def _jobs(records: list[Record]) -> Iterator[tuple[Record, Which, str]]:
    for record in records:
        if record.solution is not None:
            yield record, "solution", record.solution
        if record.wrong_solution is not None:
            yield record, "wrong_solution", record.wrong_solution


async def judge(box: Sandbox, record: Record, which: Which, code: str) -> Run:
    """The verdict and feedback a student submitting `code` would get."""
    job = SandboxJob(
        code=code,
        tests=record.tests,
        test_style=record.test_style,
        entry_point=record.entry_point,
        limits=record.limits,
    )
    status: Verdict = "error"
    feedback = Feedback(message="")
    for _ in range(ATTEMPTS):
        try:
            status, feedback = verdict.judge(await box.run(job))
            break
        except SandboxError as exc:
            feedback = Feedback(message=f"The sandbox failed {ATTEMPTS} times, last: {exc}")
    return Run(
        source_id=record.source_id,
        line=record.line,
        solution=which,
        status=status,
        feedback=feedback,
    )


def _warn_about_missing_layers(box: Sandbox) -> None:
    """As the grader logs them at start: a layer that is off may change a verdict."""
    if os.geteuid() == 0:
        return
    off = [f"{name} ({state})" for name, state in box.layers.items() if state.startswith("off")]
    print(
        "grindstone assignments check: not running as root, unlike the grader, so these "
        f"layers of the sandbox are off: {'; '.join(off)}",
        file=sys.stderr,
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return value
