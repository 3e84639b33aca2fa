def count_vowels(text):
    """Return the number of vowels (a, e, i, o, u, either case) in text."""
    count = 0
    for char in text:
        if char.lower() in "aeiou":
            count += 1
    return count
