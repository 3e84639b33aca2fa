def test_shifts_lower_case_letters():
    from solution import caesar

    got = caesar("hello", 3)
    expected = "khoor"
    assert got == expected


def test_wraps_around_the_end_of_the_alphabet():
    from solution import caesar

    got = caesar("xyz", 3)
    expected = "abc"
    assert got == expected


def test_keeps_case_and_other_characters():
    from solution import caesar

    got = caesar("Zebra, 42!", 1)
    expected = "Afcsb, 42!"
    assert got == expected


def test_negative_shift_decodes():
    from solution import caesar

    got = caesar("Khoor, Zruog!", -3)
    expected = "Hello, World!"
    assert got == expected


def test_shift_larger_than_the_alphabet():
    from solution import caesar

    got = caesar("abc", 27)
    expected = "bcd"
    assert got == expected


def test_leaves_letters_outside_a_to_z_alone():
    from solution import caesar

    got = caesar("café", 1)
    expected = "dbgé"
    assert got == expected
