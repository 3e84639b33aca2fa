"""Settings of the command API, read from the environment (prefix COMMAND_API)."""

from typing import Annotated

import msgspec

from common.settings import BaseSettings

PREFIX = "COMMAND_API"


class Settings(BaseSettings, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8101
    # submissions per student per minute; 0 turns the limit off (load tests)
    rate_limit_per_minute: Annotated[int, msgspec.Meta(ge=0)] = 60
    # set behind HTTPS so the session cookie never travels in clear text
    cookie_secure: bool = False


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
