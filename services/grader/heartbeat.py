"""The grader's heartbeat: its id, slots and busy slots in the KV bucket `graders`, rewritten
every few seconds; the bucket's TTL drops the key of a grader that stopped (common/systemstate.py
reads them for `grindstone status` and /ops/)."""

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime

import msgspec
from nats.js import JetStreamContext
from nats.js.kv import KeyValue

from common import systemstate

log = logging.getLogger(__name__)

_NOT_IN_KEYS = re.compile(r"[^-_=A-Za-z0-9]")  # a KV key's characters (dots split tokens)


def key_of(grader_id: str) -> str:
    return _NOT_IN_KEYS.sub("_", grader_id) or "_"


async def beat(js: JetStreamContext, grader_id: str, slots: int, busy: Callable[[], int]) -> None:
    """Write the heartbeat until cancelled, then remove it (a stopped grader is not alive)."""
    kv = await js.create_key_value(systemstate.graders_bucket_config())
    key = key_of(grader_id)
    try:
        while True:
            await _write(kv, key, grader_id, slots, busy())
            await asyncio.sleep(systemstate.HEARTBEAT_EVERY_S)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(kv.purge(key), 2.0)


async def _write(kv: KeyValue, key: str, grader_id: str, slots: int, busy: int) -> None:
    value = systemstate.GraderBeat(
        grader_id=grader_id, slots=slots, busy=busy, at=datetime.now(UTC)
    )
    try:
        await kv.put(key, msgspec.json.encode(value))
    except Exception as exc:  # NATS away for a moment: the next beat tries again
        log.warning("heartbeat not written: %s: %s", type(exc).__name__, exc)


def start(
    js: JetStreamContext, grader_id: str, slots: int, busy: Callable[[], int]
) -> "asyncio.Task[None]":
    """The heartbeat as a task of its own; cancel it to stop (the key is then removed)."""
    return asyncio.create_task(beat(js, grader_id, slots, busy), name="grader heartbeat")
