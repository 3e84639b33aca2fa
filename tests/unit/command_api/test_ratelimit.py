"""The rate limits' window arithmetic, key naming, sentences and settings."""

from services.command_api.ratelimit import Limit, limits, runs_limit
from services.command_api.settings import Settings

MINUTE = Limit("student", 60, 60, "You can submit")


def test_the_window_is_the_minute_and_retry_counts_to_its_end():
    assert MINUTE.window(120.0) == (2, 60)
    assert MINUTE.window(179.2) == (2, 1)
    assert MINUTE.window(150.5) == (2, 30)


def test_retry_after_is_never_zero():
    assert MINUTE.window(179.999)[1] == 1


def test_the_key_names_the_service_the_limit_who_and_the_window():
    assert MINUTE.key("00000000-0000-4000-8000-000000000001", 7) == (
        "command_api:rate:student:00000000-0000-4000-8000-000000000001:7"
    )


def test_each_refusal_names_its_limit_and_when_to_retry():
    student, address, sessions = limits(Settings())
    assert [limit.refusal(5).detail for limit in (student, address, sessions)] == [
        "You can submit at most 60 times a minute; try again in 5 seconds.",
        "Your network address can submit at most 120 times a minute; try again in 5 seconds.",
        "Your network address can start at most 20 sessions in 10 minutes; try again in 5 seconds.",
    ]
    assert student.refusal(5).headers == {"Retry-After": "5"}


def test_no_rate_limit_turns_every_limit_off():
    assert [limit.most for limit in limits(Settings(rate_limit_per_minute=0))] == [0, 0, 0]


def test_runs_have_their_own_limit_and_sentence():
    runs = runs_limit(Settings())
    assert (runs.scope, runs.most, runs.seconds) == ("runs", 30, 60)
    assert runs.key("u", 7) == "command_api:rate:runs:u:7"  # apart from submissions' counters
    assert runs.refusal(9).detail == (
        "You can run your code at most 30 times a minute; try again in 9 seconds."
    )


def test_no_rate_limit_turns_the_runs_limit_off_too():
    assert runs_limit(Settings(rate_limit_per_minute=0, runs_per_minute=30)).most == 0
    assert runs_limit(Settings(runs_per_minute=0)).most == 0
    assert runs_limit(Settings(runs_per_minute=5)).most == 5
