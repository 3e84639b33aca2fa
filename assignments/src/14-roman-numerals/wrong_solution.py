VALUES = [(1000, "M"), (500, "D"), (100, "C"), (50, "L"), (10, "X"), (5, "V"), (1, "I")]


def to_roman(number):
    """Return the Roman numeral (capital letters) of a number from 1 to 3999."""
    letters = []
    for value, numeral in VALUES:
        while number >= value:
            letters.append(numeral)
            number -= value
    return "".join(letters)
