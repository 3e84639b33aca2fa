PUNCTUATION = ".,;:!?\"'()"


def word_frequencies(text):
    """Return {word: count} for the lower-case words of text, punctuation stripped."""
    counts = {}
    # your code here
    return counts
