"""A run's limits: the assignment's, capped; what it printed cut for the event."""

from events import Limits
from services.grader import runs


def test_a_run_never_gets_more_time_than_the_run_caps():
    generous = Limits(wall_ms=60_000, cpu_ms=60_000, memory_mb=512, output_kb=128)
    assert runs.limits_of(generous) == Limits(
        wall_ms=runs.WALL_MS, cpu_ms=runs.CPU_MS, memory_mb=512, output_kb=128
    )
    strict = Limits(wall_ms=1_000, cpu_ms=500, memory_mb=64, output_kb=4)
    assert runs.limits_of(strict) == strict


def test_printed_text_past_the_shown_size_is_cut_and_says_how_much():
    text = "a" * (runs.SHOWN_CHARS + 10)
    shown = runs._capped(text)
    assert shown.startswith("a" * runs.SHOWN_CHARS)
    assert shown.endswith("(10 more characters not shown)")
    assert runs._capped("short") == "short"
