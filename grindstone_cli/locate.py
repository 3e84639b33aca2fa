"""Where a `grindstone` command finds the servers of a `just up` run and the server secret.

run.json holds the URLs with the embedded servers' passwords in them, so a command connects
with the same credentials as the services."""

import argparse
import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable

import nats.errors
from nats.aio.client import Client
from nats.js import JetStreamContext

from common import credentials
from common import nats as gnats
from grindstone_cli import rundir

CONNECT_TIMEOUT_S = 10.0


class NotConfigured(Exception):
    """Nothing says where the servers or the secret are; the message says how to fix it."""


def add_nats_url_option(parser: argparse.ArgumentParser) -> None:
    """`--nats-url`, read back by `nats_url(args.nats_url)`."""
    parser.add_argument(
        "--nats-url",
        help="the NATS server (default: NATS_URL, else the one `just up` recorded in "
        "$GRINDSTONE_DATA/run.json)",
    )


def nats_url(given: str | None = None) -> str:
    """--nats-url, else NATS_URL, else the `nats_url` of $GRINDSTONE_DATA/run.json."""
    if given:
        return given
    if os.environ.get("NATS_URL"):
        return os.environ["NATS_URL"]
    folder = rundir.path()
    try:
        url = rundir.read_urls(folder).get("nats_url")
    except (OSError, ValueError) as exc:
        raise NotConfigured(f"Cannot read {folder / 'run.json'}: {exc}") from None
    if url:
        return url
    raise NotConfigured(
        f"No NATS server is known: start the system with `just up` (it writes "
        f"{folder / 'run.json'}), or set NATS_URL, or pass --nats-url."
    )


def server_url(name: str, given: str | None = None) -> str:
    """`name` is `database_url` or `valkey_url` (or `nats_url`): the given one, else the
    environment's (DATABASE_URL, ...), else the one `just up` recorded in run.json."""
    if given:
        return given
    if os.environ.get(name.upper()):
        return os.environ[name.upper()]
    folder = rundir.path()
    try:
        url = rundir.read_urls(folder).get(name)
    except (OSError, ValueError) as exc:
        raise NotConfigured(f"Cannot read {folder / 'run.json'}: {exc}") from None
    if url:
        return url
    raise NotConfigured(
        f"No {name.upper()} is known: start the system with `just up` (it writes "
        f"{folder / 'run.json'}), or set {name.upper()}."
    )


async def connect(given: str | None = None) -> Client:
    """A connection to the NATS server `nats_url(given)` names; NotConfigured says why not."""
    url = nats_url(given)
    try:
        return await asyncio.wait_for(gnats.connect(url, "grindstone-cli"), CONNECT_TIMEOUT_S)
    except (TimeoutError, OSError):
        where = credentials.redact(url)
        raise NotConfigured(
            f"could not reach NATS at {where}: is `just up` running (and are these its "
            "credentials)?"
        ) from None


async def with_jetstream(
    given: str | None, job: Callable[[JetStreamContext], Awaitable[int]], fail: Callable[[str], int]
) -> int:
    """Run `job` on a JetStream context of the run's NATS; a server that cannot be reached or
    does not answer as expected is the command's `fail(sentence)`, not a traceback."""
    try:
        nc = await connect(given)
    except NotConfigured as exc:
        return fail(str(exc))
    try:
        return int(await job(nc.jetstream()))
    except (nats.errors.Error, OSError) as exc:  # OSError includes TimeoutError
        return fail(f"NATS did not answer as expected ({type(exc).__name__}: {exc})")
    finally:
        with contextlib.suppress(Exception):
            await nc.close()


def secret() -> str:
    """GRINDSTONE_SECRET, else the secret file that `just up` wrote in $GRINDSTONE_DATA."""
    if os.environ.get("GRINDSTONE_SECRET"):
        return os.environ["GRINDSTONE_SECRET"]
    file = rundir.path() / "secret"
    try:
        value = file.read_text().strip()
    except FileNotFoundError:
        value = ""
    except OSError as exc:
        raise NotConfigured(f"Cannot read the server secret in {file}: {exc}") from None
    if value:
        return value
    raise NotConfigured(
        f"No server secret: set GRINDSTONE_SECRET, or run `just up` once (it writes {file})."
    )
