def test_simple_pairs_are_balanced():
    from solution import is_balanced

    got = [is_balanced(text) for text in ("()", "[]", "{}")]
    expected = [True, True, True]
    assert got == expected


def test_nested_brackets_are_balanced():
    from solution import is_balanced

    got = is_balanced("{[()()]}")
    expected = True
    assert got == expected


def test_ignores_other_characters():
    from solution import is_balanced

    got = is_balanced("print(items[0], {'a': 1})")
    expected = True
    assert got == expected


def test_crossed_brackets_are_not_balanced():
    from solution import is_balanced

    got = is_balanced("([)]")
    expected = False
    assert got == expected


def test_closing_before_opening_is_not_balanced():
    from solution import is_balanced

    got = is_balanced(")(")
    expected = False
    assert got == expected


def test_unclosed_bracket_is_not_balanced():
    from solution import is_balanced

    got = (is_balanced("(()"), is_balanced("[[]"))
    expected = (False, False)
    assert got == expected


def test_text_without_brackets_is_balanced():
    from solution import is_balanced

    got = (is_balanced(""), is_balanced("no brackets here"))
    expected = (True, True)
    assert got == expected
