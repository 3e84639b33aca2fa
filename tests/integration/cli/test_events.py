"""`grindstone events tail | show` against a real NATS JetStream: filters, follow, one event."""

import argparse
import asyncio
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import msgspec
import pytest

from common import nats as gnats
from events import SubmissionGraded, subjects
from grindstone_cli import events, eventview
from tests.integration.grader.helpers import (
    created,
    humaneval,
    publish_assignment,
    published,
    subject_of,
    submit,
)
from tests.integration.projector.history import Run

WAIT_S = 20.0


@pytest.fixture(autouse=True)
def nats_url(servers, monkeypatch) -> None:
    monkeypatch.setenv("NATS_URL", servers.nats_url)  # as `just up` would have it found


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="grindstone")
    events.add_parser(root.add_subparsers(dest="command", required=True))
    return root


async def invoke(*argv: str) -> int:
    args = parser().parse_args(["events", *argv])
    return await args.run(args)


def graded(job, status: str = "passed") -> SubmissionGraded:
    return SubmissionGraded(
        occurred_at=datetime.now(UTC),
        submission_id=job.submission_id,
        user_id=job.user_id,
        assignment_id=job.assignment_id,
        attempt=1,
        status=status,
        feedback=None,
    )


@pytest.fixture
async def log(js):
    """Two assignments; a student with a graded submission to each, another with one pending."""
    first, second = published(humaneval(0)), published(humaneval(1))
    for assignment in (first, second):
        await publish_assignment(js, assignment)
    one = created(first, "pass\n")
    two = msgspec.structs.replace(created(second, "pass\n"), user_id=one.user_id)
    other = created(first, "x = 1\n")
    for job in (one, two, other):
        await submit(js, job)
    for job in (one, two):
        await gnats.append(js, subject_of(job), graded(job), msg_id=f"g:{job.submission_id}")
    return {"first": first, "second": second, "one": one, "two": two, "other": other}


async def lines(capsys, *argv: str) -> list[dict]:
    assert await invoke("tail", "--json", *argv) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


async def test_tail_prints_the_last_events_oldest_first(js, log, capsys) -> None:
    found = await lines(capsys)
    assert [r["seq"] for r in found] == list(range(1, 8))
    assert found[0]["type"] == "AssignmentPublished" and found[-1]["type"] == "SubmissionGraded"
    assert [r["seq"] for r in await lines(capsys, "-n", "2")] == [6, 7]
    record = found[2]
    assert record["subject"] == subject_of(log["one"])
    assert record["version"] == "1" and record["payload"]["code"] == "pass\n"
    assert record["headers"]["Nats-Msg-Id"] == f"submit:{log['one'].submission_id}"
    assert datetime.fromisoformat(record["time"]) <= datetime.now(UTC)


async def test_each_filter_selects_its_events(js, log, capsys) -> None:
    one, other = log["one"], log["other"]
    by_student = await lines(capsys, "--student", str(one.user_id))
    assert {r["payload"]["submission_id"] for r in by_student} == {
        str(one.submission_id),
        str(log["two"].submission_id),
    }
    by_submission = await lines(capsys, "--submission", str(other.submission_id))
    assert [r["type"] for r in by_submission] == ["SubmissionCreated"]
    by_assignment = await lines(capsys, "--assignment", str(log["first"].assignment_id))
    assert [r["type"] for r in by_assignment] == [
        "AssignmentPublished", "SubmissionCreated", "SubmissionCreated", "SubmissionGraded",
    ]  # fmt: skip
    by_type = await lines(capsys, "--type", "SubmissionGraded", "--type", "AssignmentPublished")
    assert [r["seq"] for r in by_type] == [1, 2, 6, 7]
    both = await lines(
        capsys, "--student", str(one.user_id), "--assignment", str(log["second"].assignment_id)
    )
    assert [r["subject"] for r in both] == [subject_of(log["two"])] * 2


async def test_time_bounds_select_by_when_the_event_was_stored(js, log, capsys) -> None:
    assert len(await lines(capsys, "--since", "10m")) == 7
    future = (datetime.now(UTC) + timedelta(minutes=5)).isoformat()
    assert await lines(capsys, "--since", future) == []
    assert await lines(capsys, "--until", "2000-01-01T00:00:00Z") == []
    assert len(await lines(capsys, "--until", future)) == 7


async def test_tail_reads_back_past_the_first_window(js, capsys) -> None:
    job = created(published(humaneval(0)), "pass\n")
    await submit(js, job)
    for n in range(eventview.FIRST_WINDOW * 2):
        await js.publish(f"events.noise.{n}", b"{}")
    found = await lines(capsys, "--submission", str(job.submission_id))
    assert [r["seq"] for r in found] == [1]


async def test_human_lines_name_seq_type_and_subject(js, log, capsys) -> None:
    assert await invoke("tail", "--type", "SubmissionGraded") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    seq, _day, _time, kind, version, subject, *rest = out[0].split()
    assert (seq, kind, version, subject) == ("6", "SubmissionGraded", "v1", subject_of(log["one"]))
    assert "status=passed" in rest


async def test_follow_prints_a_new_event_as_it_is_stored(js, log, capsys) -> None:
    student = str(log["other"].user_id)
    task = asyncio.create_task(invoke("tail", "-f", "--json", "--student", student))
    seen: list[dict] = []

    async def until(count: int) -> None:
        async with asyncio.timeout(WAIT_S):
            while len(seen) < count:
                seen.extend(json.loads(x) for x in capsys.readouterr().out.splitlines())
                await asyncio.sleep(0.05)

    try:
        await until(1)
        job = log["other"]
        seq = await gnats.append(js, subject_of(job), graded(job, "failed"), msg_id="late")
        await js.publish("events.noise.late", b"{}")  # not this student's: not printed
        await until(2)
    finally:
        task.cancel()
    assert [(r["seq"], r["type"]) for r in seen] == [
        (5, "SubmissionCreated"),
        (seq, "SubmissionGraded"),
    ]
    assert seen[1]["payload"]["status"] == "failed"


async def test_show_prints_one_event_whole(js, log, capsys) -> None:
    assert await invoke("show", "3") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[0] == "3"
    assert "Nats-Msg-Id: submit:" in out
    assert '"code": "pass\\n"' in out
    assert await invoke("show", "3", "--json") == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["seq"], record["type"]) == (3, "SubmissionCreated")


async def test_show_of_a_missing_sequence_says_so(js, log, capsys) -> None:
    assert await invoke("show", "999") == 1
    assert "no event at sequence 999" in capsys.readouterr().err


async def test_a_body_that_is_not_json_is_shown_as_text(js, capsys) -> None:
    await js.publish("events.submission.a.b", b"\x1b[2J{oops", headers={"Event-Type": "X"})
    assert await invoke("show", "1") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b[2J{oops" in out
    assert (await lines(capsys))[0]["payload_text"] == "\x1b[2J{oops"


def test_bad_arguments_are_usage_errors(capsys) -> None:
    for argv in (["tail", "--student", "nope"], ["tail", "--since", "yesterday"], ["show", "x"]):
        with pytest.raises(SystemExit) as caught:
            parser().parse_args(["events", *argv])
        assert caught.value.code == 2
    assert "not an id" in capsys.readouterr().err


def test_help_names_the_filters(capsys) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["events", "tail", "--help"])
    out = capsys.readouterr().out
    for option in ("--student", "--submission", "--assignment", "--type", "--since", "--until"):
        assert option in out


async def test_a_students_events_include_their_runs_and_a_runs_line_reads(js, log, capsys) -> None:
    one, other = log["one"], log["other"]
    mine, theirs = Run(one.user_id, one.assignment_id), Run(other.user_id, one.assignment_id)
    for run in (mine, theirs):
        for event in (run.requested(), run.started(), run.finished()):
            await gnats.append(
                js, subjects.run(run.user_id, run.run_id), event, msg_id=f"r:{uuid4()}"
            )

    by_student = await lines(capsys, "--student", str(one.user_id))
    assert [r["type"] for r in by_student][-3:] == ["RunRequested", "RunStarted", "RunFinished"]
    assert {r["subject"] for r in by_student[-3:]} == {subjects.run(one.user_id, mine.run_id)}
    assert len(by_student) == 4 + 3  # their two submissions' four events, then their run's
    assert await invoke("tail", "--type", "RunStarted") == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and all("RunStarted v1" in line and "grader_id=g1" in line for line in out)
