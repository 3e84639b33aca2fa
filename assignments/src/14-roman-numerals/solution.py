VALUES = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(number):
    """Return the Roman numeral (capital letters) of a number from 1 to 3999."""
    letters = []
    for value, numeral in VALUES:
        while number >= value:
            letters.append(numeral)
            number -= value
    return "".join(letters)
