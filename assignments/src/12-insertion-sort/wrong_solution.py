def insertion_sort(numbers):
    """Return a new list with the numbers in ascending order (no sorted(), no .sort())."""
    for i in range(1, len(numbers)):
        j = i
        while j > 0 and numbers[j - 1] > numbers[j]:
            numbers[j - 1], numbers[j] = numbers[j], numbers[j - 1]
            j -= 1
    return numbers
