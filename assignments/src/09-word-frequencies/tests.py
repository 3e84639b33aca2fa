def test_counts_repeated_words():
    from solution import word_frequencies

    got = word_frequencies("to be or not to be")
    expected = {"to": 2, "be": 2, "or": 1, "not": 1}
    assert got == expected


def test_ignores_case():
    from solution import word_frequencies

    got = word_frequencies("The cat saw the other cat. The end!")
    expected = {"the": 3, "cat": 2, "saw": 1, "other": 1, "end": 1}
    assert got == expected


def test_strips_punctuation_at_the_ends_only():
    from solution import word_frequencies

    got = word_frequencies('"Well," she said, (quite) rightly: don\'t!')
    expected = {"well": 1, "she": 1, "said": 1, "quite": 1, "rightly": 1, "don't": 1}
    assert got == expected


def test_lone_punctuation_is_not_a_word():
    from solution import word_frequencies

    got = word_frequencies("wait ... what ?! - yes")
    expected = {"wait": 1, "what": 1, "-": 1, "yes": 1}
    assert got == expected


def test_empty_text_gives_empty_dict():
    from solution import word_frequencies

    got = word_frequencies("")
    expected = {}
    assert got == expected
