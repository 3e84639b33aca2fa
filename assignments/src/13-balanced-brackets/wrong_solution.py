PAIRS = {")": "(", "]": "[", "}": "{"}


def is_balanced(text):
    """Return True when every bracket in text is closed in the right order by its own kind."""
    return all(text.count(opening) == text.count(closing) for closing, opening in PAIRS.items())
