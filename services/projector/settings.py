"""Settings of the projector, read from the environment (prefix PROJECTOR)."""

from common.settings import BaseSettings

PREFIX = "PROJECTOR"


class Settings(BaseSettings, frozen=True, kw_only=True):
    # seconds between checks of the stop signal while the stream is idle
    idle_poll_s: float = 1.0


def from_env() -> Settings:
    return Settings.from_env(PREFIX)
