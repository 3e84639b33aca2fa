PAIRS = {")": "(", "]": "[", "}": "{"}


def is_balanced(text):
    """Return True when every bracket in text is closed in the right order by its own kind."""
    stack = []
    for char in text:
        if char in "([{":
            stack.append(char)
        elif char in PAIRS and (not stack or stack.pop() != PAIRS[char]):
            return False
    return not stack
