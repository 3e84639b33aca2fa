import math


class CountingSequence:
    """A sorted sequence that counts how many elements are read from it."""

    def __init__(self, values):
        self._values = list(values)
        self._reads = 0

    def __len__(self):
        return len(self._values)

    def __getitem__(self, index):
        if isinstance(index, slice):
            chosen = self._values[index]
            self._reads += len(chosen)
            return chosen
        self._reads += 1
        return self._values[index]


def test_finds_an_element_in_the_middle():
    from solution import binary_search

    got = binary_search([2, 3, 5, 7, 11, 13], 7)
    expected = 3
    assert got == expected


def test_finds_the_first_and_the_last_element():
    from solution import binary_search

    items = [2, 3, 5, 7, 11, 13]
    got = (binary_search(items, 2), binary_search(items, 13))
    expected = (0, 5)
    assert got == expected


def test_missing_element_gives_minus_one():
    from solution import binary_search

    items = [2, 3, 5, 7, 11, 13]
    got = [binary_search(items, target) for target in (1, 4, 12, 14)]
    expected = [-1, -1, -1, -1]
    assert got == expected


def test_empty_list_gives_minus_one():
    from solution import binary_search

    got = binary_search([], 4)
    expected = -1
    assert got == expected


def test_finds_every_element_of_a_long_list():
    from solution import binary_search

    items = list(range(0, 3000, 3))
    got = [binary_search(items, value) for value in items]
    expected = list(range(len(items)))
    assert got == expected


def test_reads_only_a_few_elements():
    from solution import binary_search

    sizes_and_targets = [(1000, 999), (1000, 0), (1000, 1001), (4096, 2048)]
    for size, target in sizes_and_targets:
        items = CountingSequence(range(0, 2 * size, 2))
        binary_search(items, target)
        limit = int(2 * math.log2(size) + 4)
        got = items._reads
        assert got <= limit, f"read {got} of {size} elements; at most {limit} are allowed"
