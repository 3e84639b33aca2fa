"""Command API settings from the environment."""

import msgspec
import pytest

from services.command_api.settings import PREFIX, Settings


def test_defaults_listen_on_loopback_8101_with_60_a_minute():
    settings = Settings.from_env(PREFIX, {})
    assert (settings.host, settings.port, settings.rate_limit_per_minute) == (
        "127.0.0.1",
        8101,
        60,
    )


def test_the_shared_and_prefixed_variables_are_read():
    env = {
        "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "0",
        "COMMAND_API_PORT": "9000",
        "GRINDSTONE_SECRET": "s3",
        "NATS_URL": "nats://127.0.0.1:1",
    }
    settings = Settings.from_env(PREFIX, env)
    assert settings.rate_limit_per_minute == 0 and settings.port == 9000
    assert settings.secret == "s3" and settings.nats_url == "nats://127.0.0.1:1"


def test_a_negative_rate_limit_is_refused():
    with pytest.raises(msgspec.ValidationError):
        Settings.from_env(PREFIX, {"GRINDSTONE_RATE_LIMIT_PER_MINUTE": "-1"})


def test_runs_have_their_own_setting_30_a_minute_by_default():
    assert Settings.from_env(PREFIX, {}).runs_per_minute == 30
    env = {"COMMAND_API_RUNS_PER_MINUTE": "5", "GRINDSTONE_RATE_LIMIT_PER_MINUTE": "7"}
    assert Settings.from_env(PREFIX, env).runs_per_minute == 5
