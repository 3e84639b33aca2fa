def test_first_five_turns():
    from solution import fizzbuzz

    got = fizzbuzz(5)
    expected = ["1", "2", "Fizz", "4", "Buzz"]
    assert got == expected


def test_fifteen_is_fizzbuzz():
    from solution import fizzbuzz

    got = fizzbuzz(15)[-1]
    expected = "FizzBuzz"
    assert got == expected


def test_numbers_are_strings():
    from solution import fizzbuzz

    got = fizzbuzz(2)
    expected = ["1", "2"]
    assert got == expected


def test_zero_turns_is_an_empty_list():
    from solution import fizzbuzz

    got = fizzbuzz(0)
    expected = []
    assert got == expected


def test_hundred_turns_have_six_fizzbuzzes():
    from solution import fizzbuzz

    turns = fizzbuzz(100)
    got = (len(turns), turns.count("FizzBuzz"), turns.count("Fizz"), turns.count("Buzz"))
    expected = (100, 6, 27, 14)
    assert got == expected
