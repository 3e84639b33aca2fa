"""Signed checkpoints (common/checkpoints.py) on a real NATS JetStream: when they are due, the
projector's task publishing them, one chain of them when two checkpointers run."""

import asyncio
import contextlib
import uuid

from common import checkpoints
from events import integrity
from tests.conftest import SECRET
from tests.integration.projector.history import Submission, append

KEY = integrity.checkpoint_key(SECRET)


async def events(js, count):
    sub = Submission(uuid.uuid4(), uuid.uuid4())
    return await append(js, sub.created(), *(sub.regrade(attempt=n) for n in range(count - 1)))


async def test_a_checkpoint_is_due_after_enough_events_or_once_any_waited_long_enough(js):
    assert not await checkpoints.due(js, every_events=5, idle_s=100, every_s=60)  # no events
    await events(js, 3)
    assert not await checkpoints.due(js, every_events=5, idle_s=0, every_s=60)
    assert await checkpoints.due(js, every_events=5, idle_s=60, every_s=60)
    await events(js, 2)
    assert await checkpoints.due(js, every_events=5, idle_s=0, every_s=60)
    await checkpoints.make(js, KEY, every_events=5)
    assert not await checkpoints.due(js, every_events=5, idle_s=60, every_s=60)


async def test_checkpoints_come_every_n_events_each_signed_and_matching_the_log(js):
    seqs = await events(js, 12)

    assert await checkpoints.make(js, KEY, every_events=5) == 3

    made = await checkpoints.stored(js)
    assert [c.stream_seq for c in made] == [seqs[4], seqs[9], seqs[11]]
    assert all(integrity.signed(KEY, c) for c in made)
    head = integrity.GENESIS
    for seq in seqs:
        msg = await js.get_msg("EVENTS", seq=seq, direct=True)
        head = integrity.fold(head, seq, msg.subject, integrity.hash_of(msg.headers))
    assert made[-1].head == head


async def test_the_task_resumes_after_the_latest_checkpoint_and_two_make_one_chain(js):
    first = await events(js, 4)
    await checkpoints.make(js, KEY)
    more = await events(js, 3)
    task = asyncio.create_task(checkpoints.run(js, SECRET, every_events=1, every_s=0))
    rival = asyncio.create_task(checkpoints.run(js, SECRET, every_events=1, every_s=0))
    try:
        for _ in range(200):  # the tasks look every POLL_S; give them a while
            made = await checkpoints.stored(js)
            if made[-1].stream_seq == more[-1]:
                break
            await asyncio.sleep(0.05)
    finally:
        for running in (task, rival):
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running

    seqs = [c.stream_seq for c in await checkpoints.stored(js)]
    assert seqs[0] == first[-1] and seqs[-1] == more[-1]
    assert seqs == sorted(set(seqs))  # each seq once, in order: one chain, not two
