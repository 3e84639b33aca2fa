def binary_search(items, target):
    """Return the index of target in the sorted sequence items, or -1 when it is absent."""
    for index in range(len(items)):
        if items[index] == target:
            return index
    return -1
