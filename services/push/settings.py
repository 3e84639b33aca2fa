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


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
