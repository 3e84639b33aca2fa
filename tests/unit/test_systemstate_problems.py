"""common.systemstate.problems: what needs a person, at the named limits."""

from datetime import UTC, datetime

import msgspec

from common import systemstate

QUIET = systemstate.SystemState(
    at=datetime.now(UTC),
    streams=[],
    projections=[],
    cache_checkpoint=None,
    graders=[],
    jobs_waiting=0,
    dead_letters=0,
    set_aside=0,
    graded_last_minute=0,
    problems=[],
)


def lagging(events: int, seconds: float) -> systemstate.SystemState:
    lag = systemstate.ProjectionLag(
        projection="submissions_v2", checkpoint=1, lag_events=events, lag_s=seconds
    )
    return msgspec.structs.replace(QUIET, projections=[lag])


def test_a_quiet_system_needs_nobody() -> None:
    assert systemstate.problems(QUIET) == []


def test_lag_up_to_the_limits_is_fine_and_beyond_either_needs_a_person() -> None:
    at_limits = lagging(systemstate.LAG_LIMIT_EVENTS, systemstate.LAG_LIMIT_S)
    assert systemstate.problems(at_limits) == []
    (over,) = systemstate.problems(lagging(systemstate.LAG_LIMIT_EVENTS + 1, 0.0))
    assert over.startswith("projection submissions_v2 is 10001 events (0 s) behind")
    assert systemstate.problems(lagging(1, systemstate.LAG_LIMIT_S + 1))


def test_waiting_jobs_need_a_grader_alive() -> None:
    waiting = msgspec.structs.replace(QUIET, jobs_waiting=2)
    assert systemstate.problems(waiting) == ["no grader is alive while 2 message(s) wait for one"]
    beat = systemstate.GraderBeat(grader_id="g", slots=8, busy=8, at=datetime.now(UTC))
    assert systemstate.problems(msgspec.structs.replace(waiting, graders=[beat])) == []


def test_dead_letters_and_set_aside_events_each_say_so() -> None:
    found = systemstate.problems(msgspec.structs.replace(QUIET, dead_letters=2, set_aside=1))
    assert found == [
        "2 dead-lettered grading job(s) in GRADING_DEAD",
        "1 set-aside event(s): see `grindstone set-aside`",
    ]
