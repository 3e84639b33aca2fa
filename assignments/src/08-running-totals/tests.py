def test_totals_of_a_short_statement():
    from solution import running_totals

    got = running_totals([5, 10, -3, 8])
    expected = [5, 15, 12, 20]
    assert got == expected


def test_single_amount():
    from solution import running_totals

    got = running_totals([7])
    expected = [7]
    assert got == expected


def test_empty_statement_gives_empty_list():
    from solution import running_totals

    got = running_totals([])
    expected = []
    assert got == expected


def test_works_with_decimals():
    from solution import running_totals

    got = running_totals([0.5, 0.25, 0.25])
    expected = [0.5, 0.75, 1.0]
    assert got == expected


def test_does_not_change_the_given_list():
    from solution import running_totals

    amounts = [1, 2, 3]
    running_totals(amounts)
    got = amounts
    expected = [1, 2, 3]
    assert got == expected
