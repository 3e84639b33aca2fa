"""Settings of the grader, read from the environment (prefix GRADER)."""

import os
import socket
from typing import Annotated

import msgspec

from common.settings import BaseSettings

PREFIX = "GRADER"


def _default_grader_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Settings(BaseSettings, frozen=True, kw_only=True):
    # sandboxed runs at once in this process
    concurrency: Annotated[int, msgspec.Meta(ge=1)] = msgspec.field(
        default_factory=lambda: os.cpu_count() or 1
    )
    grader_id: str = msgspec.field(default_factory=_default_grader_id)
    # above the slowest job; a running job also reports progress every third of it
    ack_wait_s: Annotated[float, msgspec.Meta(gt=0)] = 90.0
    max_deliver: Annotated[int, msgspec.Meta(ge=1)] = 5


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
