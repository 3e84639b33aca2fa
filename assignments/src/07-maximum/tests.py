def test_finds_the_largest_of_three():
    from solution import maximum

    got = maximum([3, 9, 2])
    expected = 9
    assert got == expected


def test_largest_may_come_first_or_last():
    from solution import maximum

    got = (maximum([10, 1, 2]), maximum([1, 2, 10]))
    expected = (10, 10)
    assert got == expected


def test_works_with_only_negative_numbers():
    from solution import maximum

    got = maximum([-7, -3, -12])
    expected = -3
    assert got == expected


def test_single_number_is_the_largest():
    from solution import maximum

    got = maximum([42])
    expected = 42
    assert got == expected


def test_empty_list_raises_value_error():
    from solution import maximum

    try:
        maximum([])
    except ValueError:
        got = "ValueError"
    else:
        got = "no error"
    expected = "ValueError"
    assert got == expected


def test_does_not_call_the_built_in_max():
    import builtins

    from solution import maximum

    calls = []
    real_max = builtins.max

    def spy(*args, **kwargs):
        calls.append(args)
        return real_max(*args, **kwargs)

    builtins.max = spy
    try:
        maximum([4, 8, 15, 16, 23, 42])
    finally:
        builtins.max = real_max
    got = len(calls)
    expected = 0
    assert got == expected, "maximum() should not call the built-in max()"
