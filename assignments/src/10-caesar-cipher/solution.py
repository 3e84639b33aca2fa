def shift_letter(char, shift):
    for first in ("a", "A"):
        position = ord(char) - ord(first)
        if 0 <= position < 26:
            return chr(ord(first) + (position + shift) % 26)
    return char


def caesar(text, shift):
    """Return text with every letter moved shift places along the alphabet."""
    return "".join(shift_letter(char, shift) for char in text)
