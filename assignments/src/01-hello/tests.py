# ruff: noqa: F821 -- run_program comes from the stdio harness (assignments/harness/stdio.py)


def test_prints_the_greeting():
    got = run_program("").split()
    expected = ["Hello,", "Grindstone!"]
    assert got == expected


def test_ignores_any_input():
    got = run_program("some input nobody asked for\n").split()
    expected = ["Hello,", "Grindstone!"]
    assert got == expected
