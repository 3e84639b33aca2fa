def to_roman(number):
    """Return the Roman numeral (capital letters) of a number from 1 to 3999."""
    # your code here
