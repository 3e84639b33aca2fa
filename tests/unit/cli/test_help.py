"""Every command of this part of the command line has a --help."""

import argparse

import pytest

from grindstone_cli import assignments, token


def root() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="grindstone")
    commands = parser.add_subparsers(dest="command", required=True)
    assignments.add_parser(commands)
    token.add_parser(commands)
    return parser


@pytest.mark.parametrize(
    ("argv", "mentions"),
    [
        (["assignments", "--help"], "load"),
        (["assignments", "load", "--help"], "--nats-url"),
        (["assignments", "check", "--help"], "--concurrency"),
        (["token", "--help"], "--user-id"),
    ],
)
def test_help_exits_cleanly_and_describes_the_options(argv, mentions, capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        root().parse_args(argv)
    assert caught.value.code == 0
    assert mentions in capsys.readouterr().out


def test_assignments_without_an_action_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        root().parse_args(["assignments"])
    assert caught.value.code == 2
    assert "ACTION" in capsys.readouterr().err
