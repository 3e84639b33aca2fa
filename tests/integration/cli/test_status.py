"""`grindstone status` against the real NATS, PostgreSQL and Valkey: text, JSON, exit status."""

import argparse
import contextlib
import json
from datetime import UTC, datetime

import pytest

from common import db, setaside, systemstate
from common import nats as gnats
from events import SubmissionGraded, subjects
from grindstone_cli import status
from services.projector import schema
from tests.integration.grader.helpers import created, humaneval, published, subject_of, submit


@pytest.fixture
async def system(js, servers, database_url, valkey) -> list[str]:
    """A schema made, no dead letters or heartbeats from other tests: the servers' options."""
    pool = await db.open_pool(database_url, max_size=1)
    await schema.create(pool)
    await pool.close()
    with contextlib.suppress(Exception):
        await js.delete_stream(subjects.DEAD_LETTER_STREAM)
    with contextlib.suppress(Exception):
        await js.delete_key_value(systemstate.GRADERS_BUCKET)
    await gnats.ensure_streams(js)
    return [
        *("--nats-url", servers.nats_url),
        *("--database-url", database_url),
        *("--valkey-url", servers.valkey_url),
    ]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="grindstone")
    status.add_parser(root.add_subparsers(dest="command", required=True))
    return root


async def invoke(*argv: str) -> int:
    args = parser().parse_args(["status", *argv])
    return await args.run(args)


async def graded_submission(js) -> int:
    job = created(published(humaneval(0)), "pass\n")
    await submit(js, job)
    graded = SubmissionGraded(
        occurred_at=datetime.now(UTC),
        submission_id=job.submission_id,
        user_id=job.user_id,
        assignment_id=job.assignment_id,
        attempt=1,
        status="passed",
        feedback=None,
    )
    return await gnats.append(js, subject_of(job), graded, msg_id=f"g:{job.submission_id}")


def test_help_names_the_options_and_the_exit_statuses(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        parser().parse_args(["status", "--help"])
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert all(o in out for o in ("--json", "--nats-url", "--database-url", "--valkey-url"))
    assert "Exit status 1 when something needs a person" in out


async def test_a_healthy_system_prints_its_figures_and_exits_0(js, system, capsys) -> None:
    last = await graded_submission(js)
    assert await invoke(*system) == 0
    out = capsys.readouterr().out
    assert f"EVENTS: {last} messages, sequences 1-{last}" in out
    for name in schema.names():
        assert f"{name}: checkpoint 0, {last} events" in out
    assert "Graded in the last minute: 1" in out
    assert out.rstrip().endswith("OK: nothing needs a person.")


async def test_json_gives_the_same_state(js, system, capsys) -> None:
    last = await graded_submission(js)
    assert await invoke("--json", *system) == 0
    state = json.loads(capsys.readouterr().out)
    events = next(s for s in state["streams"] if s["name"] == "EVENTS")
    assert (events["messages"], events["last_seq"]) == (last, last)
    assert {p["projection"]: p["lag_events"] for p in state["projections"]} == {
        name: last for name in schema.names()
    }
    assert state["graded_last_minute"] == 1
    assert (state["dead_letters"], state["set_aside"], state["problems"]) == (0, 0, [])


async def test_a_dead_letter_makes_the_exit_status_1_and_says_why(js, system, capsys) -> None:
    await js.publish("grading.dead.u.s", b"{}", stream=subjects.DEAD_LETTER_STREAM)
    assert await invoke(*system) == status.NEEDS_A_PERSON
    out = capsys.readouterr().out
    assert "Needs a person: 1 dead-lettered grading job(s) in GRADING_DEAD" in out


async def test_a_set_aside_event_makes_the_exit_status_1(js, system, capsys) -> None:
    seq = await graded_submission(js)
    await setaside.record(js, "projector", seq, "it is malformed")
    assert await invoke("--json", *system) == status.NEEDS_A_PERSON
    assert json.loads(capsys.readouterr().out)["problems"] == [
        "1 set-aside event(s): see `grindstone set-aside`"
    ]


async def test_unreachable_servers_exit_2_with_a_sentence(system, capsys) -> None:
    database = system.index("--database-url") + 1
    broken = [*system[:database], "postgresql://nobody:x@127.0.0.1:1/none", *system[database + 1 :]]
    assert await invoke(*broken) == status.UNREACHABLE
    assert capsys.readouterr().err.startswith("grindstone status: ")
