def fizzbuzz(n):
    """Return the turns 1..n of FizzBuzz as a list of strings."""
    turns = []
    for number in range(1, n + 1):
        if number % 15 == 0:
            turns.append("FizzBuzz")
        elif number % 3 == 0:
            turns.append("Fizz")
        elif number % 5 == 0:
            turns.append("Buzz")
        else:
            turns.append(str(number))
    return turns
