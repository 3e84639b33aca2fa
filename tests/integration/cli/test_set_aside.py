"""`grindstone set-aside` against a real NATS JetStream: what consumers set aside, listed."""

import json
import uuid
from datetime import UTC, datetime

import pytest

from common import setaside
from events import subjects
from grindstone_cli.__main__ import parser
from tests import poison
from tests.integration.grader.helpers import created, humaneval, published, subject_of


async def invoke(*argv: str) -> int:
    args = parser().parse_args(["set-aside", *argv])
    return await args.run(args)


@pytest.fixture
async def bad(js) -> list[tuple[int, str, poison.Poison]]:
    """Every kind of poison on one subject, set aside by the grader; the first also by push."""
    job = created(published(humaneval(0)), "pass\n")
    found = await poison.publish(js, subject_of(job), job)
    for seq, kind in found:
        await setaside.record(js, "grader", seq, f"{kind.kind}: {kind.reason}")
    await setaside.record(js, "push", found[0][0], "it is malformed")
    return [(seq, subject_of(job), kind) for seq, kind in found]


def test_help_names_the_options(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        parser().parse_args(["set-aside", "--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert all(option in out for option in ("--consumer", "--json", "--nats-url"))


async def test_json_lists_each_set_aside_event_with_its_seq_subject_type_and_reason(
    js, servers, bad, capsys
) -> None:
    assert await invoke("--json", "--nats-url", servers.nats_url) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["consumer"], r["seq"], r["subject"]) for r in lines] == [
        *(("grader", seq, subject) for seq, subject, _ in bad),
        ("push", bad[0][0], bad[0][1]),
    ]
    types = [r["event_type"] for r in lines]
    assert types[:4] == ["SubmissionCreated", "SubmissionTeleported", *["SubmissionCreated"] * 2]
    assert [r["reason"] for r in lines[: len(bad)]] == [f"{k.kind}: {k.reason}" for *_, k in bad]
    for line in lines:
        at = datetime.fromisoformat(line["set_aside_at"])
        assert abs((datetime.now(UTC) - at).total_seconds()) < 600


async def test_one_consumer_in_a_table(js, servers, bad, capsys) -> None:
    assert await invoke("--consumer", "push", "--nats-url", servers.nats_url) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:4] == ["consumer", "seq", "subject", "type"]
    assert row.split()[:4] == ["push", str(bad[0][0]), bad[0][1], "SubmissionCreated"]
    assert row.endswith("it is malformed")


async def test_nothing_set_aside_says_so(js, servers, capsys) -> None:
    await js.publish(subjects.assignment(uuid.uuid4()), b"{}")  # in EVENTS, not set aside
    assert await invoke("--nats-url", servers.nats_url) == 0
    assert capsys.readouterr().out == "No events are set aside.\n"


async def test_the_table_shows_control_characters_escaped(js, servers, capsys) -> None:
    sneaky = "Sub\x1b[2Jmission\x07"  # a terminal's clear-screen and bell, as an event type
    seq = (await js.publish("events.submission.a.b", b"{}", headers={"Event-Type": sneaky})).seq
    await setaside.record(js, "grader", seq, f"unknown event type {sneaky!r}")
    assert await invoke("--nats-url", servers.nats_url) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Sub\\x1b[2Jmission\\x07" in out.splitlines()[1].split()[3]
