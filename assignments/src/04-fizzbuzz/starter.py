def fizzbuzz(n):
    """Return the turns 1..n of FizzBuzz as a list of strings."""
    turns = []
    # your code here
    return turns
