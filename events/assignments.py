"""Facts about one assignment; subject events.assignment.<assignment_id>."""

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from events.base import Event

TestStyle = Literal["module", "stdio"]


class Limits(msgspec.Struct, frozen=True, kw_only=True):
    """What one grading run may use; a problem set can override each."""

    wall_ms: Annotated[int, msgspec.Meta(ge=100, le=60_000)] = 5_000
    cpu_ms: Annotated[int, msgspec.Meta(ge=100, le=60_000)] = 2_000
    memory_mb: Annotated[int, msgspec.Meta(ge=32, le=4_096)] = 256
    output_kb: Annotated[int, msgspec.Meta(ge=1, le=4_096)] = 64


class AssignmentPublished(Event, frozen=True, kw_only=True):
    """An assignment was created or its content changed (the latest one wins)."""

    assignment_id: UUID
    source_id: str
    title: str
    position: int
    handout: str
    starter: str
    tests: str
    test_style: TestStyle
    entry_point: str | None = None
    limits: Limits = Limits()
    content_sha256: str
