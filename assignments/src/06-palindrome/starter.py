def is_palindrome(text):
    """Return True when text reads the same backwards, counting only letters and digits."""
    # your code here
