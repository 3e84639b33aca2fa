def insertion_sort(numbers):
    """Return a new list with the numbers in ascending order (no sorted(), no .sort())."""
    result = []
    # your code here
    return result
