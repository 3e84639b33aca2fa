def maximum(numbers):
    """Return the largest number in the list, without max(); ValueError when it is empty."""
    # your code here
