"""Settings of the query API, read from the environment (prefix QUERY_API)."""

from typing import Annotated

import msgspec

from common.settings import BaseSettings

PREFIX = "QUERY_API"


class Settings(BaseSettings, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8102
    # the longest a read waits for the projector to reach the caller's own write
    wait_max_s: Annotated[float, msgspec.Meta(ge=0, le=10)] = 2.0


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
