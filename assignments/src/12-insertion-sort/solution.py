def insertion_sort(numbers):
    """Return a new list with the numbers in ascending order (no sorted(), no .sort())."""
    result = []
    for number in numbers:
        position = len(result)
        for index, placed in enumerate(result):
            if placed > number:
                position = index
                break
        result.insert(position, number)
    return result
