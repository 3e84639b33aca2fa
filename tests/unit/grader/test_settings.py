"""Grader settings from the environment."""

import os

from services.grader.settings import PREFIX, Settings


def test_defaults_use_every_core_and_name_the_process():
    settings = Settings.from_env(PREFIX, {})
    assert settings.concurrency == (os.cpu_count() or 1)
    assert settings.grader_id.endswith(f"-{os.getpid()}")
    assert (settings.ack_wait_s, settings.max_deliver) == (10.0, 5)


def test_prefixed_variables_win():
    env = {"NATS_URL": "nats://127.0.0.1:1", "GRADER_CONCURRENCY": "3", "GRADER_GRADER_ID": "g1"}
    settings = Settings.from_env(PREFIX, env)
    assert (settings.nats_url, settings.concurrency, settings.grader_id) == (
        "nats://127.0.0.1:1", 3, "g1",
    )  # fmt: skip
