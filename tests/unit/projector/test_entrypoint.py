"""The projector's command line and settings."""

import pytest

from services.projector import __main__ as entry
from services.projector import settings


def test_help_names_every_command(capsys):
    with pytest.raises(SystemExit) as exited:
        entry.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert all(command in out for command in ["run", "schema", "rebuild"])


def test_an_unknown_command_is_refused(capsys):
    with pytest.raises(SystemExit) as exited:
        entry.main(["flush"])
    assert exited.value.code == 2


def test_settings_come_from_the_environment():
    env = {"DATABASE_URL": "postgresql://db/x", "PROJECTOR_IDLE_POLL_S": "0.5"}
    read = settings.Settings.from_env(settings.PREFIX, env)
    assert (read.database_url, read.idle_poll_s) == ("postgresql://db/x", 0.5)
