def test_reverses_three_words():
    from solution import reverse_words

    got = reverse_words("practice makes perfect")
    expected = "perfect makes practice"
    assert got == expected


def test_keeps_each_word_intact():
    from solution import reverse_words

    got = reverse_words("Hello, world!")
    expected = "world! Hello,"
    assert got == expected


def test_squeezes_extra_whitespace():
    from solution import reverse_words

    got = reverse_words("  one   two\tthree \n")
    expected = "three two one"
    assert got == expected


def test_single_word_stays_the_same():
    from solution import reverse_words

    got = reverse_words("grindstone")
    expected = "grindstone"
    assert got == expected


def test_empty_sentence_gives_empty_string():
    from solution import reverse_words

    got = reverse_words("")
    expected = ""
    assert got == expected
