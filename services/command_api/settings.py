"""Settings of the command API, read from the environment (prefix COMMAND_API)."""

from typing import Annotated

import msgspec

from common.settings import BaseSettings

PREFIX = "COMMAND_API"


class Settings(BaseSettings, frozen=True, kw_only=True):
    host: str = "127.0.0.1"
    port: int = 8101
    # submissions per student per minute; 0 turns every limit of this API off (load tests)
    rate_limit_per_minute: Annotated[int, msgspec.Meta(ge=0)] = 60
    # submissions per client address per minute (0: no limit); many students may share one
    submissions_per_address_per_minute: Annotated[int, msgspec.Meta(ge=0)] = 120
    # ungraded runs per student per minute (0: no limit), counted apart from submissions
    runs_per_minute: Annotated[int, msgspec.Meta(ge=0)] = 30
    # new sessions per client address in each window of sessions_window_s (0: no limit)
    sessions_per_address: Annotated[int, msgspec.Meta(ge=0)] = 20
    sessions_window_s: Annotated[int, msgspec.Meta(ge=1)] = 600
    # set behind HTTPS so the session cookie never travels in clear text
    cookie_secure: bool = False


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
