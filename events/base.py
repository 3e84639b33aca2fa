"""The Event base Struct every event type subclasses."""

from datetime import datetime
from typing import ClassVar

import msgspec


class Event(msgspec.Struct, frozen=True, kw_only=True):
    """A fact that happened; payload only (ids of the message itself travel in headers)."""

    version: ClassVar[int] = 1
    occurred_at: datetime
