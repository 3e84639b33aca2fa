"""The whole system as processes (every service, nginx in front) on the test servers."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from grindstone_cli import stack
from tests import systems
from tests.conftest import Servers
from tests.e2e import prod_system

CURRICULUM = [json.loads(line) for line in stack.CURRICULUM.read_text().splitlines() if line]


@pytest.fixture(scope="module")
def system(servers: Servers) -> Iterator[stack.System]:
    with systems.running(servers, "e2e", valkey_db=1) as running:
        yield running


@pytest.fixture(scope="module", params=["dev", "prod"])
def dev_or_prod(request: pytest.FixtureRequest, servers: Servers) -> Iterator[stack.System]:
    """The system in development, then in the production configuration (module by module)."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").replace("_", "-")
    if request.param == "prod":
        with prod_system.running(servers, f"{name}-prod") as running:
            yield running
    else:
        with systems.running(servers, name, valkey_db=1) as running:
            yield running


def curriculum_record(title: str) -> dict:
    return next(r for r in CURRICULUM if r["title"] == title)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder for a `grindstone up` of the test's own."""
    tmp_path.chmod(0o755)  # PostgreSQL runs as an unprivileged user
    for parent in tmp_path.parents:
        if parent == Path("/tmp"):
            break
        parent.chmod(parent.stat().st_mode | 0o011)
    return tmp_path / "data"
