"""Settings of the projector, read from the environment (prefix PROJECTOR)."""

from typing import Annotated

import msgspec

from common import checkpoints
from common.settings import BaseSettings

PREFIX = "PROJECTOR"


class Settings(BaseSettings, frozen=True, kw_only=True):
    # seconds between checks of the stop signal while the stream is idle
    idle_poll_s: float = 1.0
    # GET /metrics and /health (for probes) at this port (0: no listener)
    metrics_port: Annotated[int, msgspec.Meta(ge=0, le=65535)] = 0
    # on loopback; 0.0.0.0 in a container, where probes and scrapers come from outside
    metrics_host: str = "127.0.0.1"
    # signed audit checkpoints (common/checkpoints.py): after this many events, or this long
    checkpoint_every_events: int = checkpoints.EVERY_EVENTS
    checkpoint_every_s: float = checkpoints.EVERY_S


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
