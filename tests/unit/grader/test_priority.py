"""consuming.Priority's limit: re-grades never take the slots kept for students."""

import asyncio

from services.grader import consuming


def priority(reserved: int) -> consuming.Priority:
    return consuming.Priority(students=None, regrades=None, is_job=bool, reserved=reserved)  # type: ignore[arg-type]


async def test_regrades_never_take_the_slots_kept_for_students():
    jobs = consuming.Jobs(4)
    assert priority(reserved=1).regrade_slots(jobs) == 3
    assert priority(reserved=0).regrade_slots(jobs) == 4
    for _ in range(3):
        jobs.start(asyncio.Event().wait())  # running until cancelled
    assert priority(reserved=1).regrade_slots(jobs) == 0  # the last free slot is the students'
    await jobs.cancel()


async def test_a_single_slot_cannot_be_kept_so_regrades_may_use_it():
    assert priority(reserved=1).regrade_slots(consuming.Jobs(1)) == 1
    assert priority(reserved=3).regrade_slots(consuming.Jobs(2)) == 1
