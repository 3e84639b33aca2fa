def maximum(numbers):
    """Return the largest number in the list, without max(); ValueError when it is empty."""
    if not numbers:
        raise ValueError("maximum() of an empty list")
    largest = numbers[0]
    for number in numbers[1:]:
        if number > largest:
            largest = number
    return largest
