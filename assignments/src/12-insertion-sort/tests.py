def test_sorts_a_small_list():
    from solution import insertion_sort

    got = insertion_sort([7, 2, 9, 2, -1])
    expected = [-1, 2, 2, 7, 9]
    assert got == expected


def test_empty_and_single_lists():
    from solution import insertion_sort

    got = (insertion_sort([]), insertion_sort([5]))
    expected = ([], [5])
    assert got == expected


def test_already_sorted_and_reversed_lists():
    from solution import insertion_sort

    got = (insertion_sort([1, 2, 3, 4]), insertion_sort([4, 3, 2, 1]))
    expected = ([1, 2, 3, 4], [1, 2, 3, 4])
    assert got == expected


def test_sorts_a_longer_list():
    from solution import insertion_sort

    numbers = [(i * 37) % 101 - 50 for i in range(101)]
    got = insertion_sort(numbers)
    expected = list(range(-50, 51))
    assert got == expected


def test_does_not_change_the_given_list():
    from solution import insertion_sort

    numbers = [3, 1, 2]
    insertion_sort(numbers)
    got = numbers
    expected = [3, 1, 2]
    assert got == expected


def test_does_not_call_sorted():
    import builtins

    from solution import insertion_sort

    calls = []
    real_sorted = builtins.sorted

    def spy(*args, **kwargs):
        calls.append(args)
        return real_sorted(*args, **kwargs)

    builtins.sorted = spy
    try:
        insertion_sort([3, 1, 2])
    finally:
        builtins.sorted = real_sorted
    got = len(calls)
    expected = 0
    assert got == expected, "insertion_sort() should not call sorted()"
