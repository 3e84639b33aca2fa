"""`grindstone assignments load` against a real NATS JetStream."""

import argparse
import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest
from nats.js import JetStreamContext

from events import AssignmentPublished, codec, subjects
from grindstone_cli import assignments, catalog, plan, problemset
from tests.unit.cli.records import jsonl, record

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"


async def invoke(*argv: str) -> int:
    root = argparse.ArgumentParser(prog="grindstone")
    assignments.add_parser(root.add_subparsers(dest="command", required=True))
    args = root.parse_args(["assignments", "load", *argv])
    return await args.run(args)


async def stored(js: JetStreamContext) -> list[tuple[int, AssignmentPublished]]:
    """Every event in the stream, in order (each test starts with an empty stream)."""
    info = await js.stream_info(subjects.EVENTS_STREAM)
    if info.state.messages == 0:
        return []
    found = []
    for seq in range(info.state.first_seq, info.state.last_seq + 1):
        msg = await js.get_msg(subjects.EVENTS_STREAM, seq, direct=True)
        event = codec.decode(msg.data, msg.headers)
        assert isinstance(event, AssignmentPublished)
        found.append((seq, event))
    return found


@pytest.fixture
def problem_file(tmp_path: Path) -> Path:
    file = tmp_path / "set.jsonl"
    file.write_text(jsonl(record("demo/a"), record("demo/b"), record("demo/c")))
    return file


@pytest.fixture
def nats_url(servers) -> str:
    return servers.nats_url


async def test_loading_a_file_publishes_one_event_per_record_in_order(
    js, nats_url, problem_file, capsys
) -> None:
    assert await invoke(str(problem_file), "--nats-url", nats_url) == 0
    events = [event for _, event in await stored(js)]
    assert [(e.source_id, e.position) for e in events] == [
        ("demo/a", 1),
        ("demo/b", 2),
        ("demo/c", 3),
    ]
    assert [e.assignment_id for e in events] == [plan.assignment_id(e.source_id) for e in events]
    assert capsys.readouterr().out == "Loaded 3 assignments: 3 new, 0 changed, 0 unchanged\n"


async def test_loading_the_same_file_again_publishes_nothing(
    js, nats_url, problem_file, capsys
) -> None:
    await invoke(str(problem_file), "--nats-url", nats_url)
    before = await stored(js)
    assert await invoke(str(problem_file), "--nats-url", nats_url) == 0
    assert await stored(js) == before
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Loaded 3 assignments: 0 new, 0 changed, 3 unchanged"
    )


async def test_changing_one_record_publishes_one_event_at_the_same_position(
    js, nats_url, problem_file, capsys
) -> None:
    await invoke(str(problem_file), "--nats-url", nats_url)
    problem_file.write_text(
        jsonl(record("demo/a"), record("demo/b", handout="# Changed\n"), record("demo/c"))
    )
    assert await invoke(str(problem_file), "--nats-url", nats_url) == 0
    events = await stored(js)
    assert len(events) == 4
    _, latest = events[-1]
    assert (latest.source_id, latest.position, latest.handout) == ("demo/b", 2, "# Changed\n")
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Loaded 3 assignments: 0 new, 1 changed, 2 unchanged"
    )


async def test_new_records_are_placed_after_the_existing_ones(js, nats_url, tmp_path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(jsonl(record("x/1"), record("x/2")))
    second.write_text(jsonl(record("y/new"), record("x/1"), record("y/later")))
    await invoke(str(first), "--nats-url", nats_url)
    await invoke(str(second), "--nats-url", nats_url)
    events = [event for _, event in await stored(js)]
    assert [(e.source_id, e.position) for e in events] == [
        ("x/1", 1),
        ("x/2", 2),
        ("y/new", 3),
        ("y/later", 4),
    ]


async def test_json_prints_one_line_per_record_and_the_summary_on_stderr(
    js, nats_url, problem_file, capsys
) -> None:
    assert await invoke(str(problem_file), "--json", "--nats-url", nats_url) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows == [
        {"source_id": sid, "assignment_id": str(plan.assignment_id(sid))}
        for sid in ("demo/a", "demo/b", "demo/c")
    ]
    assert err.splitlines() == [
        "Loaded 3 assignments: 3 new, 0 changed, 0 unchanged",
        "Check that every reference solution passes before students see it: "
        f"grindstone assignments check {problem_file}",
    ]


async def test_a_file_with_an_invalid_record_loads_nothing(js, nats_url, tmp_path, capsys) -> None:
    file = tmp_path / "bad.jsonl"
    file.write_text(jsonl(record("ok/1"), record("ok/2"), record("bad", test_style="python")))
    assert await invoke(str(file), "--nats-url", nats_url) == 1
    assert await stored(js) == []
    err = capsys.readouterr().err
    assert "line 3 (id 'bad'): field 'test_style'" in err
    assert "nothing was loaded" in err


async def test_current_state_is_the_last_event_of_each_assignment(js, nats_url, tmp_path) -> None:
    file = tmp_path / "set.jsonl"
    file.write_text(jsonl(record("a"), record("b")))
    await invoke(str(file), "--nats-url", nats_url)
    file.write_text(jsonl(record("a", title="A, again"), record("b")))
    await invoke(str(file), "--nats-url", nats_url)
    state = await catalog.current(js)
    (a, b) = problemset.parse(file.read_text())
    assert state == {
        plan.assignment_id("a"): plan.Current(
            seq=3, position=1, content_sha256=plan.content_sha256(a)
        ),
        plan.assignment_id("b"): plan.Current(
            seq=2, position=2, content_sha256=plan.content_sha256(b)
        ),
    }


async def test_a_stale_plan_is_refused_by_the_expected_sequence(js, nats_url, problem_file) -> None:
    await invoke(str(problem_file), "--nats-url", nats_url)
    records = problemset.parse(problem_file.read_text().replace("Add (demo/a)", "Renamed"))
    stale = plan.plan(records, {})  # as if the first load had not been seen
    with pytest.raises(catalog.LoadError, match=r"demo/a \(line 1\) changed while loading"):
        await catalog.publish(js, stale, datetime.now(UTC))
    assert len(await stored(js)) == 3


async def test_the_shared_problem_sets_load_once(js, nats_url, capsys) -> None:
    for name in ("humaneval.jsonl", "kattis.jsonl"):
        assert await invoke(str(DATA / name), "--nats-url", nats_url) == 0
    assert len(await stored(js)) == 167
    assert await invoke(str(DATA / "humaneval.jsonl"), "--nats-url", nats_url) == 0
    assert len(await stored(js)) == 167
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "Loaded 164 assignments: 164 new, 0 changed, 0 unchanged",
        "Loaded 3 assignments: 3 new, 0 changed, 0 unchanged",
        "Loaded 164 assignments: 0 new, 0 changed, 164 unchanged",
    ]


async def test_the_nats_url_of_run_json_is_used_without_flag_or_variable(
    js, nats_url, problem_file, tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("NATS_URL", raising=False)
    monkeypatch.setenv("GRINDSTONE_DATA", str(tmp_path))
    (tmp_path / "run.json").write_text(json.dumps({"nats_url": nats_url}))
    assert await invoke(str(problem_file)) == 0
    assert len(await stored(js)) == 3


async def test_the_command_line_loads_and_prints_json(js, nats_url, problem_file) -> None:
    env = {**os.environ, "NATS_URL": nats_url, "PYTHONPATH": str(ROOT)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "grindstone_cli",
        "assignments",
        "load",
        str(problem_file),
        "--json",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    ids = [UUID(json.loads(line)["assignment_id"]) for line in out.decode().splitlines()]
    assert ids == [e.assignment_id for _, e in await stored(js)]
