"""Grader processes for the tests: `python -m services.grader`, started, SIGKILLed, restarted."""

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STOP_WAIT_S = 30.0


class Graders:
    """Numbered slots, each running at most one grader process; every process logs to a file."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.running: dict[int, asyncio.subprocess.Process] = {}
        self.started = 0
        self.kills = 0

    async def start(self, slot: int) -> None:
        self.started += 1
        grader_id = f"grader-{slot}.{self.started}"
        with (self.logs / f"{grader_id}.log").open("wb") as log:
            self.running[slot] = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "services.grader"),
                cwd=ROOT,
                env={**self.env, "GRADER_GRADER_ID": grader_id},
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
            )

    async def kill(self, slot: int) -> None:
        """SIGKILL: no nak, no drain; whatever it held comes back after ack_wait."""
        proc = self.running.pop(slot)
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        self.kills += 1

    async def restart(self, slot: int) -> None:
        await self.kill(slot)
        await self.start(slot)

    def pid(self, slot: int) -> int:
        return self.running[slot].pid

    async def stop(self) -> dict[int, int | None]:
        """SIGTERM every running grader and wait; the exit code of each slot."""
        for proc in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        codes = {}
        for slot, proc in self.running.items():
            try:
                codes[slot] = await asyncio.wait_for(proc.wait(), STOP_WAIT_S)
            except TimeoutError:
                proc.kill()
                codes[slot] = await proc.wait()
        self.running.clear()
        return codes

    def log(self) -> str:
        """Every grader's log so far, one after the other."""
        files = sorted(self.logs.glob("grader-*.log"))
        return "".join(file.read_text(errors="replace") for file in files)


@contextlib.asynccontextmanager
async def graders(
    env: dict[str, str], logs: Path, count: int = 0, **settings: str
) -> AsyncIterator[Graders]:
    """`count` graders running with GRADER_<SETTING> variables; all stopped on the way out."""
    group = Graders({**env, **{f"GRADER_{k.upper()}": v for k, v in settings.items()}}, logs)
    try:
        for slot in range(count):
            await group.start(slot)
        yield group
    finally:
        await group.stop()
