def test_simple_palindrome():
    from solution import is_palindrome

    got = is_palindrome("racecar")
    expected = True
    assert got == expected


def test_simple_non_palindrome():
    from solution import is_palindrome

    got = is_palindrome("grindstone")
    expected = False
    assert got == expected


def test_ignores_case_and_spaces():
    from solution import is_palindrome

    got = is_palindrome("Never odd or even")
    expected = True
    assert got == expected


def test_ignores_punctuation():
    from solution import is_palindrome

    got = is_palindrome("A man, a plan, a canal: Panama!")
    expected = True
    assert got == expected


def test_digits_count():
    from solution import is_palindrome

    got = (is_palindrome("12321"), is_palindrome("1231"))
    expected = (True, False)
    assert got == expected


def test_empty_text_is_a_palindrome():
    from solution import is_palindrome

    got = is_palindrome("")
    expected = True
    assert got == expected
