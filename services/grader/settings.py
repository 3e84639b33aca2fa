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
    # slots re-grades never take (with more slots than that): a student arriving while a
    # re-grade runs finds one free
    student_slots: Annotated[int, msgspec.Meta(ge=0)] = 1
    grader_id: str = msgspec.field(default_factory=_default_grader_id)
    # a running job reports progress every third of it, so a slow job keeps its grader; a
    # job whose grader died goes to another one after this long
    ack_wait_s: Annotated[float, msgspec.Meta(gt=0)] = 10.0
    # a job delivered more often than this is set aside (dead-lettered), not graded again
    dead_after: Annotated[int, msgspec.Meta(ge=1)] = 3
    # JetStream's own limit (-1: none) must leave room for the delivery that sets a job aside
    max_deliver: Annotated[int, msgspec.Meta(ge=-1)] = 5

    # GET /metrics and /health (for probes) at this port (0: no listener)
    metrics_port: Annotated[int, msgspec.Meta(ge=0, le=65535)] = 0
    # on loopback; 0.0.0.0 in a container, where probes and scrapers come from outside
    metrics_host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        if self.max_deliver != -1 and self.max_deliver <= self.dead_after:
            raise ValueError(
                f"max_deliver ({self.max_deliver}) must be above dead_after ({self.dead_after}) "
                "or -1, or a job that keeps crashing is never set aside"
            )


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
