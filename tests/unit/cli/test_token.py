"""`grindstone token`: a token for a role, signed with the run's secret."""

import argparse
from pathlib import Path
from uuid import UUID

import pytest

from common import auth
from grindstone_cli import token


def invoke(*argv: str) -> int:
    root = argparse.ArgumentParser(prog="grindstone")
    token.add_parser(root.add_subparsers(dest="command", required=True))
    args = root.parse_args(["token", *argv])
    return args.run(args)


@pytest.fixture(autouse=True)
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRINDSTONE_DATA", str(tmp_path))
    monkeypatch.delenv("GRINDSTONE_SECRET", raising=False)
    return tmp_path


@pytest.mark.parametrize("role", auth.ROLES)
def test_the_token_verifies_with_the_secret_and_carries_the_role(role, monkeypatch, capsys) -> None:
    monkeypatch.setenv("GRINDSTONE_SECRET", "s3cret")
    user = UUID("12345678-1234-5678-1234-567812345678")
    assert invoke("--role", role, "--user-id", str(user)) == 0
    printed = capsys.readouterr().out.strip()
    assert auth.verify("s3cret", printed) == auth.Identity(user, role)
    assert auth.verify("another-secret", printed) is None


def test_without_a_user_id_each_token_names_a_new_user(monkeypatch, capsys) -> None:
    monkeypatch.setenv("GRINDSTONE_SECRET", "s3cret")
    invoke("--role", "operator")
    invoke("--role", "operator")
    first, second = (auth.verify("s3cret", t) for t in capsys.readouterr().out.split())
    assert first is not None and second is not None
    assert first.role == second.role == "operator"
    assert first.user_id != second.user_id


def test_the_secret_file_written_by_up_signs_the_token(data: Path, capsys) -> None:
    (data / "secret").write_text("file-secret\n")
    assert invoke("--role", "auditor") == 0
    identity = auth.verify("file-secret", capsys.readouterr().out.strip())
    assert identity is not None and identity.role == "auditor"


def test_no_secret_fails_with_a_sentence_and_prints_no_token(capsys) -> None:
    assert invoke("--role", "student") == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "No server secret" in err


def test_an_unknown_role_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        invoke("--role", "admin")
    assert caught.value.code == 2
    assert "invalid choice: 'admin'" in capsys.readouterr().err
