# ruff: noqa: F841 -- a starting point the student completes
PAIRS = {")": "(", "]": "[", "}": "{"}


def is_balanced(text):
    """Return True when every bracket in text is closed in the right order by its own kind."""
    stack = []
    # your code here
