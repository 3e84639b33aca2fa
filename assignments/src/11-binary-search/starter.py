# ruff: noqa: F841 -- a starting point the student completes
def binary_search(items, target):
    """Return the index of target in the sorted sequence items, or -1 when it is absent."""
    low, high = 0, len(items) - 1
    # your code here
    return -1
