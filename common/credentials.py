"""The embedded servers' credentials: a password per server, generated into a 0600 file in its
data folder on the first start and reused after, and the server configs that require it.

The password never appears on a command line (other users can read those in /proc): NATS and
Valkey read it from a 0600 config file, PostgreSQL gets only its SCRAM verifier.
"""

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

USER = "grindstone"  # the NATS user and the PostgreSQL role (Valkey's is `default`)
PASSWORD_FILE = "password"
SCRAM_ITERATIONS = 4096  # PostgreSQL's default


def password(folder: Path) -> str:
    """`folder/password`, made on first use (URL-safe characters: no quoting anywhere)."""
    file = folder / PASSWORD_FILE
    with contextlib.suppress(FileNotFoundError):
        if value := file.read_text().strip():
            return value
    write_private(file, secrets.token_urlsafe(24) + "\n")
    return file.read_text().strip()


def write_private(file: Path, text: str, owner: tuple[int, int] | None = None) -> None:
    """`text` into `file`, mode 0600 from the first byte, put in place whole (by rename)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        if owner is not None:
            os.chown(temp, *owner)
        os.replace(temp, file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def nats_config(folder: Path) -> Path:
    """A config that admits only USER with the folder's password."""
    config = folder / "nats.conf"
    auth = f'authorization {{\n  user: "{USER}"\n  password: "{password(folder)}"\n}}\n'
    write_private(config, auth)
    return config


def valkey_config(folder: Path) -> Path:
    """A config under which every command but AUTH answers NOAUTH until the password is given."""
    config = folder / "valkey.conf"
    write_private(config, f'requirepass "{password(folder)}"\n')
    return config


PG_HBA = """\
# written by grindstone at every start: a password (SCRAM) for every connection
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
host all all ::1/128 scram-sha-256
"""


def pg_role_sql(secret: str) -> str:
    """For PostgreSQL's single-user mode (one statement a line): USER, a superuser that logs in
    with `secret`, made if missing; the password goes in as a verifier, never as plain text."""
    make = (
        f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{USER}') "
        f"THEN CREATE ROLE {USER}; END IF; END $$;"
    )
    return f"{make}\nALTER ROLE {USER} WITH LOGIN SUPERUSER PASSWORD '{scram_sha_256(secret)}';\n"


def scram_sha_256(secret: str, salt: bytes | None = None) -> str:
    """The verifier PostgreSQL stores for a password (RFC 5803 format, as `\\password` sends)."""
    salt = salt or secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", secret.encode(), salt, SCRAM_ITERATIONS)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")
    keys = f"{_b64(stored_key)}:{_b64(server_key)}"
    return f"SCRAM-SHA-256${SCRAM_ITERATIONS}:{_b64(salt)}${keys}"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def redact(url: str) -> str:
    """`url` fit to print: its password, if any, as `***` (in each of a comma-separated list)."""
    return ",".join(_redact_one(part) for part in url.split(","))


def _redact_one(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
