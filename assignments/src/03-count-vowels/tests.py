def test_counts_lower_case_vowels():
    from solution import count_vowels

    got = count_vowels("banana")
    expected = 3
    assert got == expected


def test_counts_upper_case_vowels_too():
    from solution import count_vowels

    got = count_vowels("Umbrella UNDER An Open sky")
    expected = 8
    assert got == expected


def test_word_without_vowels_gives_zero():
    from solution import count_vowels

    got = count_vowels("rhythm")
    expected = 0
    assert got == expected


def test_empty_text_gives_zero():
    from solution import count_vowels

    got = count_vowels("")
    expected = 0
    assert got == expected


def test_ignores_digits_and_punctuation():
    from solution import count_vowels

    got = count_vowels("R2-D2, you're a genius!")
    expected = 7
    assert got == expected
