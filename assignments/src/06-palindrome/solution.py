def is_palindrome(text):
    """Return True when text reads the same backwards, counting only letters and digits."""
    cleaned = [char.lower() for char in text if char.isalnum()]
    return cleaned == cleaned[::-1]
