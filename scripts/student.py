"""A scripted student for the HumanEval run and the benchmark: HTTP API plus its /ws stream."""

import asyncio
import json
import time
from typing import Any

import httpx
import websockets


class Student:
    """One anonymous student with an open WebSocket; submits one program at a time."""

    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self.base_url = base_url
        self.http = http
        self.token = ""
        self.ws: Any = None
        self.waiting: dict[str, asyncio.Future[tuple[dict[str, Any], float]]] = {}
        self.early: dict[str, tuple[dict[str, Any], float]] = {}
        self.reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.http.cookies.clear()  # a new student, not a session the shared client holds
        response = await self.http.post(f"{self.base_url}/api/sessions")
        response.raise_for_status()
        self.token = response.json()["token"]
        ws_url = self.base_url.replace("http", "ws", 1) + f"/ws?token={self.token}"
        self.ws = await websockets.connect(ws_url, max_queue=None)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message["type"] != "submission.graded":
                continue
            arrived = (message["submission"], time.perf_counter())
            future = self.waiting.pop(message["submission"]["id"], None)
            if future is None:
                self.early[message["submission"]["id"]] = arrived
            elif not future.done():
                future.set_result(arrived)

    async def submit(self, assignment_id: str, code: str, timeout_s: float = 120) -> dict[str, Any]:
        """POST the code and wait for its verdict on the socket; adds `latency_ms`."""
        sent = time.perf_counter()
        response = await self.http.post(
            f"{self.base_url}/api/submissions",
            json={"assignment_id": assignment_id, "code": code},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        if response.status_code != 202:
            raise RuntimeError(f"submit answered {response.status_code}: {response.text}")
        submission_id = response.json()["id"]
        if submission_id in self.early:
            graded, at = self.early.pop(submission_id)
        else:
            future = asyncio.get_running_loop().create_future()
            self.waiting[submission_id] = future
            graded, at = await asyncio.wait_for(future, timeout_s)
        return {**graded, "latency_ms": (at - sent) * 1000}

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            await asyncio.gather(self.reader, return_exceptions=True)
