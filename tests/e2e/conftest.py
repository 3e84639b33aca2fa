"""The whole system as processes (every service, nginx in front) on the test servers."""

import json
from collections.abc import Iterator

import pytest

from grindstone_cli import stack
from tests import systems
from tests.conftest import Servers

CURRICULUM = [json.loads(line) for line in stack.CURRICULUM.read_text().splitlines() if line]


@pytest.fixture(scope="module")
def system(servers: Servers) -> Iterator[stack.System]:
    with systems.running(servers, "e2e", valkey_db=1) as running:
        yield running


def curriculum_record(title: str) -> dict:
    return next(r for r in CURRICULUM if r["title"] == title)
