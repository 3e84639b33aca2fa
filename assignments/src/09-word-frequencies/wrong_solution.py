PUNCTUATION = ".,;:!?\"'()"


def word_frequencies(text):
    """Return {word: count} for the lower-case words of text, punctuation stripped."""
    counts = {}
    for raw in text.split():
        word = raw.strip(PUNCTUATION)
        if word:
            counts[word] = counts.get(word, 0) + 1
    return counts
