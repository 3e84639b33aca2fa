def caesar(text, shift):
    """Return text with every letter moved shift places along the alphabet."""
    result = ""
    for char in text:
        if char.isalpha():
            result += chr(ord(char) + shift)
        else:
            result += char
    return result
