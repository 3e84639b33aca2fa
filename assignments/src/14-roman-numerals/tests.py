def test_single_letters():
    from solution import to_roman

    got = [to_roman(n) for n in (1, 5, 10, 50, 100, 500, 1000)]
    expected = ["I", "V", "X", "L", "C", "D", "M"]
    assert got == expected


def test_letters_add_up():
    from solution import to_roman

    got = [to_roman(n) for n in (3, 8, 27, 2015)]
    expected = ["III", "VIII", "XXVII", "MMXV"]
    assert got == expected


def test_subtractive_pairs():
    from solution import to_roman

    got = [to_roman(n) for n in (4, 9, 40, 90, 400, 900)]
    expected = ["IV", "IX", "XL", "XC", "CD", "CM"]
    assert got == expected


def test_mixed_numbers():
    from solution import to_roman

    got = [to_roman(n) for n in (14, 49, 444, 1994)]
    expected = ["XIV", "XLIX", "CDXLIV", "MCMXCIV"]
    assert got == expected


def test_largest_number():
    from solution import to_roman

    got = to_roman(3999)
    expected = "MMMCMXCIX"
    assert got == expected
