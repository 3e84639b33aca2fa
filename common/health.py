"""A worker's health, answered on GET /health of its metrics listener for liveness and
readiness probes: alive while its job (the consuming loop) runs and its NATS connection is up."""

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

from nats.aio.client import Client

T = TypeVar("T")


class WorkerHealth:
    def __init__(self, nc: Client) -> None:
        self.nc = nc
        self.job: asyncio.Future[Any] | None = None

    def watch(self, job: Awaitable[T]) -> asyncio.Future[T]:
        """`job` as a task whose end (failed, or returned) makes the worker unhealthy."""
        task = asyncio.ensure_future(job)
        self.job = task
        return task

    def problem(self) -> str | None:
        """None while healthy, else what is wrong (a probe gets it with the 503)."""
        if self.job is None:
            return "The worker has not started its loop yet."
        if self.job.done():
            return "The worker's loop has ended."
        if self.nc.is_closed:
            return "The NATS connection is closed."
        if not self.nc.is_connected:
            return "Not connected to NATS; reconnecting."
        return None
