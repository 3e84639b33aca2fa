"""Fixtures of the grader tests."""

from collections.abc import AsyncIterator

import pytest

from events import subjects
from services.grader import sandbox


@pytest.fixture
async def dead_stream(js) -> str:
    """An empty dead-letter stream (the `nc` fixture renews only EVENTS)."""
    await js.purge_stream(subjects.DEAD_LETTER_STREAM)
    return subjects.DEAD_LETTER_STREAM


@pytest.fixture
async def box() -> AsyncIterator[sandbox.Sandbox]:
    """A started sandbox, as a grader process has one."""
    started = sandbox.Sandbox()
    await started.start()
    yield started
    await started.close()
