"""The test servers are real and reachable; the embedded ones require the credentials generated
into their data folders, and keep them across restarts."""

import asyncio
import contextlib
import json
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import nats
import psycopg
import pytest
import valkey.exceptions

from common import cache, credentials, embedded
from common import nats as gnats
from events import subjects


async def test_the_events_stream_accepts_an_event(js):
    ack = await js.publish("events.test.x", b"{}")
    info = await js.stream_info(subjects.EVENTS_STREAM)
    assert ack.seq == info.state.last_seq == 1


async def test_valkey_and_postgres_answer(valkey, database_url):
    assert await valkey.ping()
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        cur = await conn.execute("SELECT 41 + 1")
        assert (await cur.fetchone()) == (42,)
    assert gnats.WRONG_LAST_SEQUENCE == 10071


def with_login(url: str, login: str = "") -> str:
    """`url` with `login@` (none when empty) in place of its credentials."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{login}@{host}" if login else host))


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="grindstone-creds-") as name:
        Path(name).chmod(0o755)  # PostgreSQL runs as an unprivileged user and must reach it
        yield Path(name)


@pytest.fixture(scope="module")
def embedded_urls(folder: Path) -> Iterator[dict[str, str]]:
    """Embedded servers of this module's own (the suite's may be external ones)."""
    with (
        embedded.nats_server(folder / "nats") as nats_url,
        embedded.postgres_server(folder / "database") as database_url,
        embedded.valkey_server(folder / "valkey") as valkey_url,
    ):
        yield {"nats": nats_url, "database": database_url, "valkey": valkey_url}


async def nats_answers(url: str) -> None:
    nc = await nats.connect(url, allow_reconnect=False, connect_timeout=5)
    await nc.close()


async def nats_says(url: str) -> str:
    """The server's answer to a CONNECT with the URL's credentials (if any) and a PING, read off
    the wire: nats-py leaves its socket open after a refused connect."""
    parts = urlsplit(url)
    login = {"user": parts.username, "pass": parts.password} if parts.username else {}
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        await reader.readline()  # INFO
        connect = json.dumps({"verbose": False, "pedantic": False, **login})
        writer.write(f"CONNECT {connect}\r\nPING\r\n".encode())
        return (await asyncio.wait_for(reader.readline(), 5)).decode().strip()
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


def postgres_answers(url: str) -> None:
    with psycopg.connect(url, connect_timeout=5) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (credentials.USER,)


async def valkey_answers(url: str) -> None:
    client = cache.connect(url)
    try:
        assert await client.ping()
    finally:
        await client.aclose()


async def test_embedded_nats_refuses_a_connection_without_its_credentials(embedded_urls):
    url = embedded_urls["nats"]
    for wrong in (with_login(url), with_login(url, f"{credentials.USER}:guess")):
        assert await nats_says(wrong) == "-ERR 'Authorization Violation'"
    assert await nats_says(url) == "PONG"
    await nats_answers(url)
    assert urlsplit(url).username == credentials.USER


def test_embedded_postgres_refuses_a_connection_without_its_password(embedded_urls):
    url = embedded_urls["database"]
    with pytest.raises(psycopg.OperationalError, match="no password supplied"):
        postgres_answers(with_login(url, credentials.USER))
    for login in (f"{credentials.USER}:guess", "postgres:guess"):
        with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
            postgres_answers(with_login(url, login))
    postgres_answers(url)


async def test_embedded_valkey_answers_noauth_without_its_password(embedded_urls):
    url = embedded_urls["valkey"]
    with pytest.raises(valkey.exceptions.AuthenticationError, match="Authentication required"):
        await valkey_answers(with_login(url))
    with pytest.raises(valkey.exceptions.AuthenticationError):
        await valkey_answers(with_login(url, ":guess"))
    await valkey_answers(url)


def test_the_credentials_files_are_private(folder, embedded_urls):
    for name, url in embedded_urls.items():
        file = folder / name / credentials.PASSWORD_FILE
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert urlsplit(url).password == file.read_text().strip()
    for config in (folder / "nats" / "nats.conf", folder / "valkey" / "valkey.conf"):
        assert stat.S_IMODE(config.stat().st_mode) == 0o600


def start_stop(start: Callable[[Path, int], embedded.Started], data: Path) -> str:
    proc, url = start(data, embedded.free_port())
    embedded.stop(proc)
    return url


@contextlib.contextmanager
def restarted(start: Callable[[Path, int], embedded.Started], data: Path) -> Iterator[str]:
    proc, url = start(data, embedded.free_port())
    try:
        yield url
    finally:
        embedded.stop(proc)


async def test_nats_and_valkey_keep_their_credentials_across_restarts(folder):
    for name, start, answers in (
        ("nats-again", embedded.start_nats, nats_answers),
        ("valkey-again", embedded.start_valkey, valkey_answers),
    ):
        first = start_stop(start, folder / name)
        with restarted(start, folder / name) as again:
            assert urlsplit(again).password == urlsplit(first).password
            await answers(again)


def test_postgres_keeps_its_password_and_a_trusting_cluster_is_brought_in_line(folder):
    data = folder / "pg-again"
    first = start_stop(embedded.start_postgres, data)
    with restarted(embedded.start_postgres, data) as again:
        assert urlsplit(again).password == urlsplit(first).password
        postgres_answers(again)
    # a cluster from before (trust for every connection) with no password file yet
    (data / credentials.PASSWORD_FILE).unlink()
    hba = data / "postgres" / "pg_hba.conf"
    shutil.copy(hba, data / "hba.bak")
    hba.write_text("host all all 127.0.0.1/32 trust\n")
    with restarted(embedded.start_postgres, data) as url:
        assert urlsplit(url).password != urlsplit(first).password
        postgres_answers(url)
        with pytest.raises(psycopg.OperationalError, match="no password supplied"):
            postgres_answers(with_login(url, "postgres"))
