"""The embedded servers' generated credentials: made once, private, never printed."""

import base64
import hashlib
import hmac
import os
import stat
from pathlib import Path

from common import credentials


def mode(file: Path) -> int:
    return stat.S_IMODE(file.stat().st_mode)


def test_a_password_is_made_once_private_and_reused(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # the file is private whatever the umask
    try:
        first = credentials.password(tmp_path / "nats")
    finally:
        os.umask(old_umask)
    assert len(first) >= 32 and first.replace("-", "").replace("_", "").isalnum()
    assert mode(tmp_path / "nats" / "password") == 0o600
    assert credentials.password(tmp_path / "nats") == first
    assert credentials.password(tmp_path / "valkey") != first
    assert [p.name for p in (tmp_path / "nats").iterdir()] == ["password"]  # no temp left


def test_an_empty_password_file_is_made_again(tmp_path: Path) -> None:
    (tmp_path / "password").write_text("")
    assert credentials.password(tmp_path)
    assert mode(tmp_path / "password") == 0o600


def test_the_server_configs_are_private_and_carry_the_password(tmp_path: Path) -> None:
    secret = credentials.password(tmp_path)
    for config in (credentials.nats_config(tmp_path), credentials.valkey_config(tmp_path)):
        assert mode(config) == 0o600
        assert f'"{secret}"' in config.read_text()


def test_the_scram_verifier_is_the_one_postgresql_computes() -> None:
    salt = b"0123456789abcdef"
    verifier = credentials.scram_sha_256("pencil", salt)
    method, rest = verifier.split("$", 1)
    head, keys = rest.split("$")
    iterations, salt_b64 = head.split(":")
    stored, server = (base64.b64decode(k) for k in keys.split(":"))
    assert (method, int(iterations), base64.b64decode(salt_b64)) == ("SCRAM-SHA-256", 4096, salt)
    salted = hashlib.pbkdf2_hmac("sha256", b"pencil", salt, 4096)
    assert stored == hashlib.sha256(hmac.digest(salted, b"Client Key", "sha256")).digest()
    assert server == hmac.digest(salted, b"Server Key", "sha256")
    assert "pencil" not in credentials.pg_role_sql("pencil")


def test_a_printed_url_hides_its_password() -> None:
    assert credentials.redact("nats://u:s3cret@127.0.0.1:4222") == "nats://u:***@127.0.0.1:4222"
    assert credentials.redact("redis://:s3cret@h:6379/0") == "redis://:***@h:6379/0"
    assert credentials.redact("postgresql://app@h/db") == "postgresql://app@h/db"
    assert credentials.redact("nats://127.0.0.1:4222") == "nats://127.0.0.1:4222"


def test_a_printed_list_of_servers_hides_each_password() -> None:
    listed = "nats://u:a@127.0.0.1:4222,nats://u:b@127.0.0.1:4223"
    assert credentials.redact(listed) == "nats://u:***@127.0.0.1:4222,nats://u:***@127.0.0.1:4223"
