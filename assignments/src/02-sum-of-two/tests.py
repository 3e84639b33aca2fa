# ruff: noqa: F821 -- run_program comes from the stdio harness (assignments/harness/stdio.py)


def test_adds_two_small_numbers():
    got = run_program("3 4\n").split()
    expected = ["7"]
    assert got == expected


def test_reads_numbers_from_separate_lines():
    got = run_program("10\n32\n").split()
    expected = ["42"]
    assert got == expected


def test_handles_negative_numbers():
    got = run_program("-8 5\n").split()
    expected = ["-3"]
    assert got == expected


def test_handles_very_large_numbers():
    got = run_program("123456789012345678901234567890 1\n").split()
    expected = ["123456789012345678901234567891"]
    assert got == expected
