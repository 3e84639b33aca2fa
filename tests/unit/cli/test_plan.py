"""Stable ids, content hashes, positions and the steps of a load."""

from datetime import UTC, datetime
from uuid import UUID

import msgspec
import pytest

from events import AssignmentPublished, Limits
from grindstone_cli import plan
from grindstone_cli.plan import Current
from grindstone_cli.problemset import Record, parse
from tests.unit.cli.records import jsonl, record

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def one(**fields: object) -> Record:
    return parse(jsonl(record(**fields)))[0]  # type: ignore[arg-type]


def current_of(steps: list[plan.Step], seq: int = 1) -> dict[UUID, Current]:
    """The stream state after these steps were appended (sequences counted from `seq`)."""
    return {
        s.assignment_id: Current(seq=seq + i, position=s.position, content_sha256=s.content_sha256)
        for i, s in enumerate(steps)
    }


def test_the_id_is_a_uuid5_of_the_source_id_under_a_fixed_namespace() -> None:
    assert plan.assignment_id("HumanEval/0") == plan.assignment_id("HumanEval/0")
    assert plan.assignment_id("HumanEval/0") != plan.assignment_id("HumanEval/1")
    assert plan.assignment_id("HumanEval/0").version == 5
    assert str(plan.NAMESPACE) == "b9573dad-800b-5603-a9c5-4975fe93a522"


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Other"},
        {"handout": "# Other"},
        {"starter": "# other"},
        {"tests": "def test_other():\n    pass\n"},
        {"test_style": "stdio:solution.py"},
        {"entry_point": "plus"},
        {"limits": {"memory_mb": 512}},
    ],
)
def test_every_content_field_changes_the_hash(change: dict) -> None:
    assert plan.content_sha256(one(**change)) != plan.content_sha256(one())


def test_the_hash_ignores_line_solution_and_extra_fields() -> None:
    moved = parse("\n\n" + jsonl(record(solution="other", source="x")))[0]
    assert plan.content_sha256(moved) == plan.content_sha256(one())


def test_the_hash_is_the_same_for_default_limits_given_or_not() -> None:
    explicit = one(limits=msgspec.structs.asdict(Limits()))
    assert plan.content_sha256(explicit) == plan.content_sha256(one())


def test_a_first_load_numbers_positions_from_one_in_file_order() -> None:
    records = parse(jsonl(record("c"), record("a"), record("b")))
    steps = plan.plan(records, {})
    assert [(s.record.source_id, s.position, s.status) for s in steps] == [
        ("c", 1, "new"),
        ("a", 2, "new"),
        ("b", 3, "new"),
    ]
    assert {s.expected_seq for s in steps} == {0}


def test_loading_the_same_records_again_changes_nothing() -> None:
    records = parse(jsonl(record("a"), record("b")))
    first = plan.plan(records, {})
    again = plan.plan(records, current_of(first, seq=7))
    assert [(s.status, s.position, s.expected_seq) for s in again] == [
        ("unchanged", 1, 7),
        ("unchanged", 2, 8),
    ]


def test_a_changed_record_keeps_its_position_and_expects_its_last_seq() -> None:
    first = plan.plan(parse(jsonl(record("a"), record("b"))), {})
    edited = parse(jsonl(record("a"), record("b", title="New title")))
    steps = plan.plan(edited, current_of(first, seq=3))
    assert [(s.status, s.position, s.expected_seq) for s in steps] == [
        ("unchanged", 1, 3),
        ("changed", 2, 4),
    ]


def test_new_records_go_after_the_current_maximum_existing_keep_theirs() -> None:
    current = {
        plan.assignment_id("old"): Current(seq=5, position=40, content_sha256="x"),
        plan.assignment_id("elsewhere"): Current(seq=6, position=41, content_sha256="y"),
    }
    records = parse(jsonl(record("new1"), record("old"), record("new2")))
    steps = plan.plan(records, current)
    assert [(s.record.source_id, s.position) for s in steps] == [
        ("new1", 42),
        ("old", 40),
        ("new2", 43),
    ]


def test_the_event_carries_the_record_the_step_and_the_time() -> None:
    (step,) = plan.plan([one(limits={"cpu_ms": 3000})], {})
    event = plan.event(step, NOW)
    assert isinstance(event, AssignmentPublished)
    assert (event.assignment_id, event.source_id, event.position) == (
        plan.assignment_id("demo/add"),
        "demo/add",
        1,
    )
    assert (event.test_style, event.entry_point, event.limits) == (
        "module",
        "add",
        Limits(cpu_ms=3000),
    )
    assert (event.content_sha256, event.occurred_at) == (step.content_sha256, NOW)
    assert plan.msg_id(step) == f"assignment:{step.assignment_id}:{step.content_sha256}"
