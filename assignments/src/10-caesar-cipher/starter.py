def caesar(text, shift):
    """Return text with every letter moved shift places along the alphabet."""
    # your code here
