"""Settings of the push service, read from the environment (prefix PUSH)."""

from typing import Annotated

import msgspec

from common.settings import BaseSettings

PREFIX = "PUSH"


class Settings(BaseSettings, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8103
    # messages waiting for one connection; a client that falls this far behind is disconnected
    queue_size: Annotated[int, msgspec.Meta(ge=2)] = 256
    # submissions whose folded state is kept in memory to shape live messages
    cache_size: Annotated[int, msgspec.Meta(ge=1)] = 2_000
    # live connections one student may hold at once, over every replica (0: no limit)
    max_connections_per_student: Annotated[int, msgspec.Meta(ge=0)] = 8
    # how long a connection's count outlives a push process that died without closing it
    connection_lease_s: Annotated[float, msgspec.Meta(gt=0)] = 60.0
    # the largest WebSocket message a client may send; larger ones are refused (close 1009)
    max_frame_bytes: Annotated[int, msgspec.Meta(ge=125)] = 4096


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
