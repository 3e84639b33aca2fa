"""What loading a problem set changes: stable ids, content hashes, positions, events to append."""

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Literal
from uuid import UUID, uuid5

import msgspec

from events import AssignmentPublished
from grindstone_cli.problemset import Record

# Fixed for good: assignment ids are uuid5(NAMESPACE, source id), so reloading finds them again.
NAMESPACE = UUID("b9573dad-800b-5603-a9c5-4975fe93a522")

Status = Literal["new", "changed", "unchanged"]


class Current(msgspec.Struct, frozen=True, kw_only=True):
    """An assignment as the stream holds it: its subject's last sequence and what it says."""

    seq: int
    position: int
    content_sha256: str


class Step(msgspec.Struct, frozen=True, kw_only=True):
    record: Record
    assignment_id: UUID
    status: Status
    position: int
    content_sha256: str
    expected_seq: int  # the subject's last sequence, 0 for a new assignment


def assignment_id(source_id: str) -> UUID:
    return uuid5(NAMESPACE, source_id)


def content_sha256(record: Record) -> str:
    """The hash of everything a student sees or is graded by (not the position)."""
    content = {
        "title": record.title,
        "handout": record.handout,
        "starter": record.starter,
        "tests": record.tests,
        "test_style": record.test_style,
        "entry_point": record.entry_point,
        "limits": msgspec.structs.asdict(record.limits),
    }
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


def plan(records: list[Record], current: Mapping[UUID, Current]) -> list[Step]:
    """One step per record, in file order; new assignments go after the current last one."""
    next_position = max((c.position for c in current.values()), default=0) + 1
    steps = []
    for record in records:
        uid, sha = assignment_id(record.source_id), content_sha256(record)
        known = current.get(uid)
        if known is None:
            known = Current(seq=0, position=next_position, content_sha256="")
            next_position += 1
            status: Status = "new"
        else:
            status = "unchanged" if known.content_sha256 == sha else "changed"
        steps.append(
            Step(
                record=record,
                assignment_id=uid,
                status=status,
                position=known.position,
                content_sha256=sha,
                expected_seq=known.seq,
            )
        )
    return steps


def event(step: Step, now: datetime) -> AssignmentPublished:
    record = step.record
    return AssignmentPublished(
        occurred_at=now,
        assignment_id=step.assignment_id,
        source_id=record.source_id,
        title=record.title,
        position=step.position,
        handout=record.handout,
        starter=record.starter,
        tests=record.tests,
        test_style=record.test_style,
        entry_point=record.entry_point,
        limits=record.limits,
        content_sha256=step.content_sha256,
    )


def msg_id(step: Step) -> str:
    return f"assignment:{step.assignment_id}:{step.content_sha256}"
