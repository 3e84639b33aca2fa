"""Write tests/data/fidelity.jsonl and tests/data/FIDELITY.md from the problems held here.

This file is the source of truth for the fidelity problem set: course-style problems written
for Grindstone (MIT, like the repository) that exercise what crosses the boundary between a
test and the student's code (the test's own objects, the student's objects, standard-library
values, types and functions as arguments, in-place mutation, printed output, input, deep
recursion). Each problem has a reference solution that passes its tests and a wrong twin that
fails at least one; `tools/fidelity_plain.py` checks both without a sandbox.

Run: .venv/bin/python tools/make_fidelity.py
"""

import ast
import json
import sys
from pathlib import Path
from textwrap import dedent

ROOT = Path(__file__).resolve().parents[1]
JSONL = ROOT / "tests" / "data" / "fidelity.jsonl"
NOTICE = ROOT / "tests" / "data" / "FIDELITY.md"

CATEGORIES = {
    "linked-lists": "the test's own `ListNode` objects handed to the student",
    "trees": "the test's own `TreeNode` objects handed to the student",
    "classes": "the student's classes used by the test as objects (also in unittest.TestCase "
    "and pytest `Test*` classes)",
    "exceptions": "builtin and the student's own exceptions, matched by type, base and message",
    "generators": "generators and iterator objects returned by the student",
    "stdlib-values": "standard-library values returned by the student or passed in by the test",
    "callables": "types, builtins, the test's classes and functions as arguments",
    "mutation": "the test's lists, dicts, sets and objects mutated in place",
    "output": "printed output captured with `capsys` or `redirect_stdout`",
    "input": "`input()` and `sys.stdin` fed by the test",
    "recursion": "deep recursion (about 900 frames) and `functools.lru_cache`",
}

PROBLEMS: list[dict[str, object]] = []

# Appended to the handouts of the categories whose tests hand the student their own nodes.
NODE_NOTES = {
    "linked-lists": (
        "The tests make the nodes with their own class, `ListNode(val, next=None)`; in the "
        "examples `build(values)` makes such a list and returns its head, and "
        "`values_of(head)` lists its values."
    ),
    "trees": (
        "The tests make the nodes with their own class, `TreeNode(val, left=None, "
        "right=None)`, and pass you the root."
    ),
}


def _code(text: str) -> str:
    return dedent(text).strip("\n") + "\n"


def add(
    category: str,
    slug: str,
    title: str,
    *,
    handout: str,
    starter: str,
    solution: str,
    wrong: str,
    tests: str,
) -> None:
    """Record one problem; the code strings are dedented, the handout gets its title."""
    ident = f"fidelity/{category}/{slug}"
    header = f"# Tests for {ident} (Grindstone fidelity set; MIT).\n"
    note = f"\n{NODE_NOTES[category]}\n" if category in NODE_NOTES else ""
    PROBLEMS.append(
        {
            "id": ident,
            "title": title,
            "handout": f"# {title}\n\n{dedent(handout).strip()}\n{note}",
            "starter": _code(starter),
            "solution": _code(solution),
            "wrong_solution": _code(wrong),
            "tests": header + _code(tests),
            "test_style": "module:solution",
            "entry_point": None,
            "source": "grindstone",
            "license": "MIT",
        }
    )


def check(problems: list[dict[str, object]]) -> list[str]:
    """What is wrong with the set itself (ids, categories, Python that does not parse)."""
    errors: list[str] = []
    seen: set[object] = set()
    for problem in problems:
        ident = str(problem["id"])
        if ident in seen:
            errors.append(f"{ident}: id used twice")
        seen.add(ident)
        if ident.split("/")[1] not in CATEGORIES:
            errors.append(f"{ident}: unknown category")
        for field in ("starter", "solution", "wrong_solution", "tests"):
            try:
                ast.parse(str(problem[field]), f"{ident}:{field}")
            except SyntaxError as exc:
                errors.append(f"{ident}: {field} line {exc.lineno}: {exc.msg}")
        if problem["solution"] == problem["wrong_solution"]:
            errors.append(f"{ident}: the wrong solution is the reference")
    for category in CATEGORIES:
        count = sum(1 for p in problems if str(p["id"]).split("/")[1] == category)
        if count < 8:
            errors.append(f"category {category}: {count} problems, fewer than 8")
    return errors


def counts(problems: list[dict[str, object]]) -> dict[str, int]:
    return {c: sum(1 for p in problems if str(p["id"]).split("/")[1] == c) for c in CATEGORIES}


def notice(problems: list[dict[str, object]]) -> str:
    rows = "\n".join(
        f"| `{category}` | {count} | {CATEGORIES[category]} |"
        for category, count in counts(problems).items()
    )
    return f"""# Fidelity problem set: notice

`fidelity.jsonl` holds {len(problems)} course-style Python problems written for Grindstone
(handouts, starters, reference solutions, wrong twins and pytest test files are this project's
own text). They are under the MIT licence, the same as the rest of the repository (`source`
"grindstone", `license` "MIT" in every record).

Each record has the fields of the other sets here (`id` `fidelity/<category>/<slug>`, `title`,
`handout`, `starter`, `solution`, `wrong_solution`, `tests`, `test_style` "module:solution",
`entry_point` null). The tests are a course's pytest tests (`from solution import ...`), using
only `pytest.raises`, `pytest.approx`, `capsys`, `monkeypatch` and `pytest.mark.parametrize`.
The reference solution passes every test; the wrong twin is a plausible mistake (off by one,
wrong order, a forgotten case, a copy instead of a mutation, wrong text or exception) that fails
at least one.

The source of truth is `tools/make_fidelity.py`, which writes this file and the JSONL
(`.venv/bin/python tools/make_fidelity.py`). `tools/fidelity_plain.py` runs every record with
plain pytest, without any sandbox: every reference must pass and every wrong twin must fail.

| category | problems | what crosses between the test and the student's code |
| --- | --- | --- |
{rows}
| total | {len(problems)} | |
"""


def main() -> int:
    errors = check(PROBLEMS)
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        return 1
    lines = [json.dumps(problem, ensure_ascii=False) for problem in PROBLEMS]
    JSONL.write_text("\n".join(lines) + "\n", encoding="utf-8")
    NOTICE.write_text(notice(PROBLEMS), encoding="utf-8")
    summary = ", ".join(f"{c} {n}" for c, n in counts(PROBLEMS).items())
    print(f"{len(PROBLEMS)} problems written to {JSONL.relative_to(ROOT)} ({summary})")
    return 0


# The problems, one `add` per problem, grouped by category in the order of CATEGORIES.

# ---------------------------------------------------------------------------------------------
# 1. linked lists: the test builds its own ListNode objects and passes the head

LIST_HELPERS = r"""
class ListNode:
    def __init__(self, val, next=None):
        self.val = val
        self.next = next


def build(values):
    head = None
    for value in reversed(values):
        head = ListNode(value, head)
    return head


def nodes_of(head, limit=100_000):
    out = []
    while head is not None and len(out) < limit:
        out.append(head)
        head = head.next
    return out


def values_of(head):
    return [node.val for node in nodes_of(head)]
"""

add(
    "linked-lists",
    "count-nodes",
    "Count the nodes",
    handout=r"""
    A singly linked list is made of nodes with two attributes: `val` (the value) and `next`
    (the following node, or `None` after the last one).

    Write `count_nodes(head)` that returns how many nodes the list starting at `head` has.
    An empty list is `None` and has 0 nodes. Lists can be long (10 000 nodes): use a loop.

    ```python
    >>> count_nodes(ListNode(4, ListNode(7)))
    2
    >>> count_nodes(None)
    0
    ```
    """,
    starter=r"""
    def count_nodes(head):
        # walk from head to the end, counting the nodes
        pass
    """,
    solution=r"""
    def count_nodes(head):
        count = 0
        node = head
        while node is not None:
            count += 1
            node = node.next
        return count
    """,
    wrong=r"""
    def count_nodes(head):
        if head is None:
            return 0
        count = 0
        node = head
        while node.next is not None:
            count += 1
            node = node.next
        return count
    """,
    tests=LIST_HELPERS
    + r"""

from solution import count_nodes


def test_empty_list_has_no_nodes():
    assert count_nodes(None) == 0


def test_single_node():
    assert count_nodes(ListNode(5)) == 1


def test_short_list():
    assert count_nodes(build([3, 1, 4, 1, 5])) == 5


def test_ten_thousand_nodes():
    head = build(list(range(10_000)))
    assert count_nodes(head) == 10_000


def test_list_is_left_unchanged():
    head = build([1, 2, 3])
    count_nodes(head)
    assert values_of(head) == [1, 2, 3]
""",
)

add(
    "linked-lists",
    "nth-value",
    "Value at a position",
    handout=r"""
    Write `nth_value(head, n)` that returns the value of the node at position `n` of the linked
    list starting at `head` (nodes have `val` and `next`). Positions start at 0. If the list has
    no node at position `n`, raise `IndexError`.

    ```python
    >>> head = ListNode("a", ListNode("b", ListNode("c")))
    >>> nth_value(head, 0)
    'a'
    >>> nth_value(head, 2)
    'c'
    >>> nth_value(head, 3)
    Traceback (most recent call last):
    IndexError: ...
    ```
    """,
    starter=r"""
    def nth_value(head, n):
        pass
    """,
    solution=r"""
    def nth_value(head, n):
        if n < 0:
            raise IndexError("position must not be negative")
        node = head
        for _ in range(n):
            if node is None:
                break
            node = node.next
        if node is None:
            raise IndexError(f"no node at position {n}")
        return node.val
    """,
    wrong=r"""
    def nth_value(head, n):
        node = head
        for _ in range(n - 1):
            if node is None:
                break
            node = node.next
        if node is None:
            raise IndexError(f"no node at position {n}")
        return node.val
    """,
    tests=LIST_HELPERS
    + r"""

import pytest

import solution


def test_first_value():
    assert solution.nth_value(build(["a", "b", "c"]), 0) == "a"


def test_last_value():
    assert solution.nth_value(build(["a", "b", "c"]), 2) == "c"


def test_middle_of_a_long_list():
    head = build(list(range(0, 2000, 2)))
    assert solution.nth_value(head, 500) == 1000


def test_past_the_end_raises_index_error():
    with pytest.raises(IndexError):
        solution.nth_value(build([1, 2, 3]), 3)


def test_empty_list_raises_index_error():
    with pytest.raises(IndexError):
        solution.nth_value(None, 0)
""",
)

add(
    "linked-lists",
    "reverse-in-place",
    "Reverse a linked list in place",
    handout=r"""
    Write `reverse(head)` that reverses the linked list starting at `head` **in place**: do not
    create nodes, change the `next` attribute of the existing ones. Return the new head (the
    node that was last). `reverse(None)` returns `None`. Lists can have 10 000 nodes.

    ```python
    >>> a = ListNode(1, ListNode(2, ListNode(3)))
    >>> new_head = reverse(a)
    >>> new_head.val, new_head.next.val, new_head.next.next.val
    (3, 2, 1)
    >>> a.next is None
    True
    ```
    """,
    starter=r"""
    def reverse(head):
        pass
    """,
    solution=r"""
    def reverse(head):
        previous = None
        node = head
        while node is not None:
            following = node.next
            node.next = previous
            previous = node
            node = following
        return previous
    """,
    wrong=r"""
    def reverse(head):
        # builds a reversed copy instead of relinking the nodes
        new_head = None
        node = head
        while node is not None:
            copy = type(node)(node.val)
            copy.next = new_head
            new_head = copy
            node = node.next
        return new_head
    """,
    tests=LIST_HELPERS
    + r"""

from solution import reverse


def test_empty_list():
    assert reverse(None) is None


def test_single_node_is_its_own_reverse():
    node = ListNode(9)
    assert reverse(node) is node
    assert node.next is None


def test_values_are_reversed():
    assert values_of(reverse(build([1, 2, 3, 4]))) == [4, 3, 2, 1]


def test_the_same_nodes_are_relinked():
    head = build([1, 2, 3, 4])
    before = nodes_of(head)
    new_head = reverse(head)
    after = nodes_of(new_head)
    assert new_head is before[-1]
    assert len(after) == 4
    assert all(x is y for x, y in zip(after, reversed(before)))
    assert head.next is None


def test_ten_thousand_nodes():
    head = build(list(range(10_000)))
    last = nodes_of(head)[-1]
    new_head = reverse(head)
    assert new_head is last
    assert values_of(new_head) == list(range(9_999, -1, -1))
""",
)

add(
    "linked-lists",
    "remove-value",
    "Remove every node with a value",
    handout=r"""
    Write `remove_all(head, target)` that unlinks every node whose `val` equals `target` from the
    linked list starting at `head`, and returns the head of what is left (possibly `None`). Keep
    the remaining nodes themselves (do not copy them); matching nodes may be next to each other
    and may be at the start.

    ```python
    >>> head = build([2, 1, 2, 2, 3])
    >>> values_of(remove_all(head, 2))
    [1, 3]
    ```
    """,
    starter=r"""
    def remove_all(head, target):
        pass
    """,
    solution=r"""
    def remove_all(head, target):
        while head is not None and head.val == target:
            head = head.next
        node = head
        while node is not None and node.next is not None:
            if node.next.val == target:
                node.next = node.next.next
            else:
                node = node.next
        return head
    """,
    wrong=r"""
    def remove_all(head, target):
        while head is not None and head.val == target:
            head = head.next
        node = head
        while node is not None and node.next is not None:
            if node.next.val == target:
                node.next = node.next.next
            node = node.next
        return head
    """,
    tests=LIST_HELPERS
    + r"""

from solution import remove_all


def test_nothing_to_remove():
    head = build([1, 2, 3])
    assert remove_all(head, 7) is head
    assert values_of(head) == [1, 2, 3]


def test_remove_from_the_middle_keeps_the_other_nodes():
    head = build([1, 2, 3])
    first, _, third = nodes_of(head)
    assert remove_all(head, 2) is first
    assert first.next is third


def test_remove_at_the_start():
    head = build([5, 5, 1, 2])
    second_to_last = nodes_of(head)[2]
    assert remove_all(head, 5) is second_to_last
    assert values_of(second_to_last) == [1, 2]


def test_remove_neighbours():
    assert values_of(remove_all(build([1, 2, 2, 2, 3, 2]), 2)) == [1, 3]


def test_remove_everything():
    assert remove_all(build([4, 4, 4]), 4) is None
""",
)

add(
    "linked-lists",
    "has-cycle",
    "Does the list loop?",
    handout=r"""
    In a broken linked list the `next` of some node may point back to an earlier node, so that
    walking the list never ends. Write `has_cycle(head)` that returns `True` if the list
    starting at `head` has such a loop and `False` otherwise. Values can repeat, so compare
    nodes, not values. Do not change the list.

    ```python
    >>> a, b, c = ListNode(1), ListNode(2), ListNode(3)
    >>> a.next, b.next, c.next = b, c, a
    >>> has_cycle(a)
    True
    >>> has_cycle(ListNode(1, ListNode(1)))
    False
    ```
    """,
    starter=r"""
    def has_cycle(head):
        pass
    """,
    solution=r"""
    def has_cycle(head):
        slow = fast = head
        while fast is not None and fast.next is not None:
            slow = slow.next
            fast = fast.next.next
            if slow is fast:
                return True
        return False
    """,
    wrong=r"""
    def has_cycle(head):
        seen = set()
        node = head
        while node is not None:
            if node.val in seen:
                return True
            seen.add(node.val)
            node = node.next
        return False
    """,
    tests=LIST_HELPERS
    + r"""

from solution import has_cycle


def with_loop(values, back_to):
    head = build(values)
    nodes = nodes_of(head)
    nodes[-1].next = nodes[back_to]
    return head


def test_empty_list():
    assert has_cycle(None) is False


def test_straight_list():
    assert has_cycle(build([1, 2, 3, 4])) is False


def test_repeated_values_are_not_a_loop():
    assert has_cycle(build([1, 2, 1, 2, 1])) is False


def test_loop_back_to_the_head():
    assert has_cycle(with_loop([1, 2, 3], 0)) is True


def test_loop_into_the_middle():
    assert has_cycle(with_loop(list(range(50)), 20)) is True


def test_node_pointing_to_itself():
    node = ListNode(1)
    node.next = node
    assert has_cycle(node) is True
""",
)

add(
    "linked-lists",
    "cycle-entry",
    "Where does the loop start?",
    handout=r"""
    Write `cycle_entry(head)` that returns the **node** where the loop of the linked list
    starting at `head` begins: the first node you reach twice while walking from `head`. Return
    `None` if the list has no loop. Return the node object itself, not its value.

    ```python
    >>> nodes = [ListNode(i) for i in range(5)]
    >>> for a, b in zip(nodes, nodes[1:]): a.next = b
    >>> nodes[4].next = nodes[2]
    >>> cycle_entry(nodes[0]) is nodes[2]
    True
    ```
    """,
    starter=r"""
    def cycle_entry(head):
        pass
    """,
    solution=r"""
    def cycle_entry(head):
        slow = fast = head
        while fast is not None and fast.next is not None:
            slow = slow.next
            fast = fast.next.next
            if slow is fast:
                slow = head
                while slow is not fast:
                    slow = slow.next
                    fast = fast.next
                return slow
        return None
    """,
    wrong=r"""
    def cycle_entry(head):
        # returns where the two runners meet, which is inside the loop but not its start
        slow = fast = head
        while fast is not None and fast.next is not None:
            slow = slow.next
            fast = fast.next.next
            if slow is fast:
                return slow
        return None
    """,
    tests=LIST_HELPERS
    + r"""

from solution import cycle_entry


def with_loop(values, back_to):
    head = build(values)
    nodes = nodes_of(head)
    nodes[-1].next = nodes[back_to]
    return head, nodes


def test_no_loop_gives_none():
    assert cycle_entry(build([1, 2, 3])) is None
    assert cycle_entry(None) is None


def test_loop_back_to_the_head():
    head, nodes = with_loop([1, 2, 3, 4], 0)
    assert cycle_entry(head) is nodes[0]


def test_loop_into_the_middle():
    head, nodes = with_loop(list(range(10)), 3)
    assert cycle_entry(head) is nodes[3]


def test_long_tail_short_loop():
    head, nodes = with_loop(list(range(100)), 97)
    assert cycle_entry(head) is nodes[97]
""",
)

add(
    "linked-lists",
    "build-with-class",
    "Build a list with the given node class",
    handout=r"""
    Write `build_list(values, node_class)` that builds a linked list holding `values` in order
    and returns its head (`None` for no values). Create every node by calling
    `node_class(value)`; the new node's `next` is `None` until you set it.

    ```python
    >>> head = build_list([1, 2, 3], ListNode)
    >>> head.val, head.next.val, head.next.next.val, head.next.next.next
    (1, 2, 3, None)
    ```
    """,
    starter=r"""
    def build_list(values, node_class):
        pass
    """,
    solution=r"""
    def build_list(values, node_class):
        head = None
        for value in reversed(list(values)):
            node = node_class(value)
            node.next = head
            head = node
        return head
    """,
    wrong=r"""
    def build_list(values, node_class):
        head = None
        for value in values:
            node = node_class(value)
            node.next = head
            head = node
        return head
    """,
    tests=LIST_HELPERS
    + r"""

from solution import build_list


class CountingNode(ListNode):
    made = 0

    def __init__(self, val, next=None):
        super().__init__(val, next)
        CountingNode.made += 1


def test_no_values():
    assert build_list([], ListNode) is None


def test_values_in_order():
    head = build_list([1, 2, 3], ListNode)
    assert values_of(head) == [1, 2, 3]


def test_nodes_are_of_the_given_class():
    head = build_list("abc", ListNode)
    assert all(isinstance(node, ListNode) for node in nodes_of(head))
    assert type(head) is ListNode


def test_one_call_per_value():
    CountingNode.made = 0
    head = build_list(range(5), CountingNode)
    assert CountingNode.made == 5
    assert values_of(head) == [0, 1, 2, 3, 4]
    assert isinstance(head.next, CountingNode)
""",
)

add(
    "linked-lists",
    "insert-sorted",
    "Insert into a sorted list",
    handout=r"""
    The linked list starting at `head` (never empty) is sorted in ascending order. Write
    `insert_sorted(head, value)` that inserts a new node holding `value` so that the list stays
    sorted, and returns the head (which is the new node if `value` is smaller than every value).
    Make the new node with the same class as the others: `type(head)(value)`.

    ```python
    >>> head = insert_sorted(build([1, 3, 5]), 4)
    >>> values_of(head)
    [1, 3, 4, 5]
    >>> values_of(insert_sorted(build([2, 3]), 1))
    [1, 2, 3]
    ```
    """,
    starter=r"""
    def insert_sorted(head, value):
        node = type(head)(value)
        pass
    """,
    solution=r"""
    def insert_sorted(head, value):
        new = type(head)(value)
        if value < head.val:
            new.next = head
            return new
        node = head
        while node.next is not None and node.next.val <= value:
            node = node.next
        new.next = node.next
        node.next = new
        return head
    """,
    wrong=r"""
    def insert_sorted(head, value):
        new = type(head)(value)
        node = head
        while node.next is not None and node.next.val <= value:
            node = node.next
        new.next = node.next
        node.next = new
        return head
    """,
    tests=LIST_HELPERS
    + r"""

from solution import insert_sorted


def test_insert_in_the_middle():
    head = build([1, 3, 5])
    old = nodes_of(head)
    assert insert_sorted(head, 4) is head
    assert values_of(head) == [1, 3, 4, 5]
    assert nodes_of(head)[3] is old[2]


def test_insert_at_the_end():
    head = build([1, 3])
    insert_sorted(head, 10)
    assert values_of(head) == [1, 3, 10]


def test_insert_before_the_head():
    head = build([2, 3])
    new_head = insert_sorted(head, 1)
    assert values_of(new_head) == [1, 2, 3]
    assert new_head.next is head


def test_new_node_has_the_list_class():
    head = build([1, 5])
    insert_sorted(head, 3)
    assert type(head.next) is ListNode
    assert head.next.val == 3
""",
)

add(
    "linked-lists",
    "middle-node",
    "The middle node",
    handout=r"""
    Write `middle(head)` that returns the middle **node** of a non-empty linked list. When the
    list has an even number of nodes there are two middle nodes: return the second one.

    ```python
    >>> middle(build([1, 2, 3, 4, 5])).val
    3
    >>> middle(build([1, 2, 3, 4])).val
    3
    ```
    """,
    starter=r"""
    def middle(head):
        pass
    """,
    solution=r"""
    def middle(head):
        slow = fast = head
        while fast is not None and fast.next is not None:
            slow = slow.next
            fast = fast.next.next
        return slow
    """,
    wrong=r"""
    def middle(head):
        slow = fast = head
        while fast.next is not None and fast.next.next is not None:
            slow = slow.next
            fast = fast.next.next
        return slow
    """,
    tests=LIST_HELPERS
    + r"""

from solution import middle


def test_single_node():
    node = ListNode(1)
    assert middle(node) is node


def test_odd_length():
    head = build([1, 2, 3, 4, 5])
    assert middle(head) is nodes_of(head)[2]


def test_even_length_gives_the_second_middle():
    head = build([1, 2, 3, 4])
    assert middle(head) is nodes_of(head)[2]


def test_two_nodes():
    head = build(["x", "y"])
    assert middle(head) is head.next
""",
)

add(
    "linked-lists",
    "merge-sorted",
    "Merge two sorted lists",
    handout=r"""
    Write `merge(a, b)` that merges two sorted linked lists into one sorted list by relinking
    their nodes (create no node), and returns its head. When two values are equal, the node
    from `a` comes first. Either list may be empty (`None`).

    ```python
    >>> values_of(merge(build([1, 4, 6]), build([2, 4, 5])))
    [1, 2, 4, 4, 5, 6]
    ```
    """,
    starter=r"""
    def merge(a, b):
        pass
    """,
    solution=r"""
    def merge(a, b):
        head = tail = None
        while a is not None and b is not None:
            if a.val <= b.val:
                node, a = a, a.next
            else:
                node, b = b, b.next
            if tail is None:
                head = tail = node
            else:
                tail.next = node
                tail = node
        rest = a if a is not None else b
        if tail is None:
            return rest
        tail.next = rest
        return head
    """,
    wrong=r"""
    def merge(a, b):
        head = tail = None
        while a is not None and b is not None:
            if a.val < b.val:
                node, a = a, a.next
            else:
                node, b = b, b.next
            if tail is None:
                head = tail = node
            else:
                tail.next = node
                tail = node
        rest = a if a is not None else b
        if tail is None:
            return rest
        tail.next = rest
        return head
    """,
    tests=LIST_HELPERS
    + r"""

from solution import merge


def test_one_side_empty():
    b = build([1, 2])
    assert merge(None, b) is b
    assert merge(None, None) is None


def test_values_are_merged():
    assert values_of(merge(build([1, 4, 6]), build([2, 4, 5]))) == [1, 2, 4, 4, 5, 6]


def test_no_node_is_created():
    a, b = build([1, 3, 5]), build([2, 4])
    originals = nodes_of(a) + nodes_of(b)
    merged = nodes_of(merge(a, b))
    assert len(merged) == 5
    assert all(any(m is o for o in originals) for m in merged)


def test_ties_take_the_first_list_first():
    a, b = build([1, 2]), build([2, 3])
    a_two = a.next
    b_two = b
    merged = nodes_of(merge(a, b))
    assert merged[1] is a_two
    assert merged[2] is b_two
""",
)

# ---------------------------------------------------------------------------------------------
# 2. trees: the test builds its own TreeNode objects and passes the root

TREE_HELPERS = r"""
class TreeNode:
    def __init__(self, val, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


def balanced(values):
    # a height-balanced tree whose in-order traversal is `values`
    if not values:
        return None
    mid = len(values) // 2
    return TreeNode(values[mid], balanced(values[:mid]), balanced(values[mid + 1 :]))


def inorder_values(root):
    out, stack, node = [], [], root
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        out.append(node.val)
        node = node.right
    return out


#        4
#      /   \
#     2     6
#    / \   / \
#   1   3 5   7
def sample():
    return TreeNode(4, TreeNode(2, TreeNode(1), TreeNode(3)), TreeNode(6, TreeNode(5), TreeNode(7)))
"""

add(
    "trees",
    "max-depth",
    "Depth of a binary tree",
    handout=r"""
    A binary tree is made of nodes with `val`, `left` and `right` (each child a node or `None`).
    Write `max_depth(root)` that returns the number of nodes on the longest path from the root
    down to a leaf. The empty tree (`None`) has depth 0, a single node depth 1.

    ```python
    >>> max_depth(TreeNode(1, TreeNode(2, TreeNode(3)), None))
    3
    >>> max_depth(None)
    0
    ```
    """,
    starter=r"""
    def max_depth(root):
        pass
    """,
    solution=r"""
    def max_depth(root):
        if root is None:
            return 0
        return 1 + max(max_depth(root.left), max_depth(root.right))
    """,
    wrong=r"""
    def max_depth(root):
        # counts edges instead of nodes
        if root is None or (root.left is None and root.right is None):
            return 0
        return 1 + max(max_depth(root.left), max_depth(root.right))
    """,
    tests=TREE_HELPERS
    + r"""

from solution import max_depth


def test_empty_tree():
    assert max_depth(None) == 0


def test_single_node():
    assert max_depth(TreeNode(1)) == 1


def test_left_leaning_chain():
    assert max_depth(TreeNode(1, TreeNode(2, TreeNode(3)), None)) == 3


def test_full_tree():
    assert max_depth(sample()) == 3


def test_ten_thousand_nodes():
    root = balanced(list(range(10_000)))
    assert max_depth(root) == 14
""",
)

add(
    "trees",
    "inorder",
    "In-order traversal",
    handout=r"""
    Write `inorder(root)` that returns the list of the values of a binary tree in in-order:
    the left subtree, then the node, then the right subtree. `inorder(None)` is `[]`.

    ```python
    >>> inorder(TreeNode(2, TreeNode(1), TreeNode(3)))
    [1, 2, 3]
    ```
    """,
    starter=r"""
    def inorder(root):
        pass
    """,
    solution=r"""
    def inorder(root):
        if root is None:
            return []
        return inorder(root.left) + [root.val] + inorder(root.right)
    """,
    wrong=r"""
    def inorder(root):
        if root is None:
            return []
        return [root.val] + inorder(root.left) + inorder(root.right)
    """,
    tests=TREE_HELPERS
    + r"""

from solution import inorder


def test_empty_tree():
    assert inorder(None) == []


def test_single_node():
    assert inorder(TreeNode("only")) == ["only"]


def test_sample_tree():
    assert inorder(sample()) == [1, 2, 3, 4, 5, 6, 7]


def test_only_right_children():
    root = TreeNode(1, None, TreeNode(2, None, TreeNode(3)))
    assert inorder(root) == [1, 2, 3]


def test_ten_thousand_nodes():
    values = list(range(10_000))
    assert inorder(balanced(values)) == values
""",
)

add(
    "trees",
    "pre-and-post-order",
    "Pre-order and post-order",
    handout=r"""
    Write `traversals(root)` that returns a tuple `(pre, post)` of two lists: the values of the
    tree in pre-order (node, left subtree, right subtree) and in post-order (left subtree, right
    subtree, node).

    ```python
    >>> traversals(TreeNode(1, TreeNode(2), TreeNode(3)))
    ([1, 2, 3], [2, 3, 1])
    ```
    """,
    starter=r"""
    def traversals(root):
        pre, post = [], []
        return pre, post
    """,
    solution=r"""
    def traversals(root):
        pre, post = [], []

        def visit(node):
            if node is None:
                return
            pre.append(node.val)
            visit(node.left)
            visit(node.right)
            post.append(node.val)

        visit(root)
        return pre, post
    """,
    wrong=r"""
    def traversals(root):
        pre, post = [], []

        def visit(node):
            if node is None:
                return
            pre.append(node.val)
            visit(node.left)
            visit(node.right)

        def visit_post(node):
            if node is None:
                return
            visit_post(node.right)
            visit_post(node.left)
            post.append(node.val)

        visit(root)
        visit_post(root)
        return pre, post
    """,
    tests=TREE_HELPERS
    + r"""

from solution import traversals


def test_empty_tree():
    assert traversals(None) == ([], [])


def test_three_nodes():
    assert traversals(TreeNode(1, TreeNode(2), TreeNode(3))) == ([1, 2, 3], [2, 3, 1])


def test_sample_tree():
    pre, post = traversals(sample())
    assert pre == [4, 2, 1, 3, 6, 5, 7]
    assert post == [1, 3, 2, 5, 7, 6, 4]


def test_returns_a_tuple_of_lists():
    result = traversals(TreeNode(0))
    assert isinstance(result, tuple)
    assert all(isinstance(part, list) for part in result)
""",
)

add(
    "trees",
    "level-order",
    "Level by level",
    handout=r"""
    Write `levels(root)` that returns the values of a binary tree level by level: a list with
    one list per level, top level first, each level from left to right. `levels(None)` is `[]`.

    ```python
    >>> levels(TreeNode(1, TreeNode(2, TreeNode(4)), TreeNode(3)))
    [[1], [2, 3], [4]]
    ```
    """,
    starter=r"""
    def levels(root):
        pass
    """,
    solution=r"""
    def levels(root):
        out = []
        level = [root] if root is not None else []
        while level:
            out.append([node.val for node in level])
            level = [c for node in level for c in (node.left, node.right) if c is not None]
        return out
    """,
    wrong=r"""
    def levels(root):
        out = []
        level = [root] if root is not None else []
        while level:
            out.append([node.val for node in level])
            level = [c for node in level for c in (node.right, node.left) if c is not None]
        return out
    """,
    tests=TREE_HELPERS
    + r"""

from solution import levels


def test_empty_tree():
    assert levels(None) == []


def test_single_node():
    assert levels(TreeNode(8)) == [[8]]


def test_sample_tree():
    assert levels(sample()) == [[4], [2, 6], [1, 3, 5, 7]]


def test_uneven_tree():
    root = TreeNode(1, TreeNode(2, TreeNode(4)), TreeNode(3, None, TreeNode(5)))
    assert levels(root) == [[1], [2, 3], [4, 5]]


def test_ten_thousand_nodes():
    result = levels(balanced(list(range(10_000))))
    assert len(result) == 14
    assert sum(len(level) for level in result) == 10_000
    assert all(level == sorted(level) for level in result)
""",
)

add(
    "trees",
    "invert",
    "Mirror a tree in place",
    handout=r"""
    Write `invert(root)` that mirrors a binary tree **in place**: at every node, swap `left` and
    `right`. Do not create nodes. Return the root (the same node object), or `None` for the
    empty tree.

    ```python
    >>> root = TreeNode(1, TreeNode(2), TreeNode(3, TreeNode(4)))
    >>> invert(root) is root
    True
    >>> root.left.val, root.right.val, root.left.right.val
    (3, 2, 4)
    ```
    """,
    starter=r"""
    def invert(root):
        pass
    """,
    solution=r"""
    def invert(root):
        if root is not None:
            root.left, root.right = invert(root.right), invert(root.left)
        return root
    """,
    wrong=r"""
    def invert(root):
        if root is not None:
            root.left, root.right = root.right, root.left
        return root
    """,
    tests=TREE_HELPERS
    + r"""

from solution import invert


def test_empty_tree():
    assert invert(None) is None


def test_returns_the_same_root():
    root = sample()
    assert invert(root) is root


def test_whole_tree_is_mirrored():
    root = sample()
    invert(root)
    assert inorder_values(root) == [7, 6, 5, 4, 3, 2, 1]


def test_nodes_are_moved_not_copied():
    two = TreeNode(2)
    four = TreeNode(4)
    three = TreeNode(3, four, None)
    root = TreeNode(1, two, three)
    invert(root)
    assert root.left is three
    assert root.right is two
    assert three.left is None
    assert three.right is four


def test_leaves_keep_no_children():
    root = invert(TreeNode(1, TreeNode(2), None))
    assert root.left is None
    assert root.right.left is None and root.right.right is None
""",
)

add(
    "trees",
    "bst-insert",
    "Insert into a binary search tree",
    handout=r"""
    In a binary search tree every value in a node's left subtree is smaller than the node's
    value and every value in its right subtree is larger or equal. Write
    `bst_insert(root, value, node_class)` that adds a new leaf holding `value`, made with
    `node_class(value)`, at the right place, and returns the root. If the tree is empty
    (`root` is `None`), the new node is the root.

    ```python
    >>> root = bst_insert(None, 5, TreeNode)
    >>> bst_insert(root, 3, TreeNode) is root
    True
    >>> root.left.val
    3
    ```
    """,
    starter=r"""
    def bst_insert(root, value, node_class):
        pass
    """,
    solution=r"""
    def bst_insert(root, value, node_class):
        new = node_class(value)
        if root is None:
            return new
        node = root
        while True:
            if value < node.val:
                if node.left is None:
                    node.left = new
                    return root
                node = node.left
            else:
                if node.right is None:
                    node.right = new
                    return root
                node = node.right
    """,
    wrong=r"""
    def bst_insert(root, value, node_class):
        new = node_class(value)
        if root is None:
            return root
        node = root
        while True:
            if value < node.val:
                if node.left is None:
                    node.left = new
                    return root
                node = node.left
            else:
                if node.right is None:
                    node.right = new
                    return root
                node = node.right
    """,
    tests=TREE_HELPERS
    + r"""

from solution import bst_insert


def test_insert_into_an_empty_tree():
    root = bst_insert(None, 5, TreeNode)
    assert isinstance(root, TreeNode)
    assert root.val == 5
    assert root.left is None and root.right is None


def test_root_stays_the_same():
    root = TreeNode(5)
    assert bst_insert(root, 3, TreeNode) is root
    assert root.left.val == 3
    assert root.right is None


def test_many_inserts_keep_the_order():
    root = TreeNode(50)
    for value in [30, 70, 20, 40, 60, 80, 35, 65]:
        bst_insert(root, value, TreeNode)
    assert inorder_values(root) == [20, 30, 35, 40, 50, 60, 65, 70, 80]
    assert root.left.right.left.val == 35


def test_new_nodes_are_made_with_the_given_class():
    class Marked(TreeNode):
        pass

    root = TreeNode(1)
    bst_insert(root, 2, Marked)
    assert type(root.right) is Marked
""",
)

add(
    "trees",
    "bst-find",
    "Find a node in a binary search tree",
    handout=r"""
    Write `bst_find(root, value)` that returns the **node** of the binary search tree holding
    `value`, or `None` if there is none. Use the ordering: go left for smaller values and
    right for larger ones, so that a search in a big tree visits few nodes.

    ```python
    >>> root = TreeNode(4, TreeNode(2), TreeNode(6))
    >>> bst_find(root, 6) is root.right
    True
    >>> bst_find(root, 5) is None
    True
    ```
    """,
    starter=r"""
    def bst_find(root, value):
        pass
    """,
    solution=r"""
    def bst_find(root, value):
        node = root
        while node is not None and node.val != value:
            node = node.left if value < node.val else node.right
        return node
    """,
    wrong=r"""
    def bst_find(root, value):
        node = root
        while node is not None and node.val != value:
            node = node.left if value < node.val else node.right
        return None if node is None else node.val
    """,
    tests=TREE_HELPERS
    + r"""

from solution import bst_find


def test_find_the_root():
    root = sample()
    assert bst_find(root, 4) is root


def test_find_a_leaf():
    root = sample()
    assert bst_find(root, 5) is root.right.left


def test_missing_value():
    assert bst_find(sample(), 10) is None
    assert bst_find(None, 1) is None


def test_ten_thousand_nodes():
    root = balanced(list(range(0, 20_000, 2)))
    node = bst_find(root, 12_346)
    assert isinstance(node, TreeNode)
    assert node.val == 12_346
    assert bst_find(root, 12_347) is None
""",
)

add(
    "trees",
    "path-sum",
    "Root-to-leaf sum",
    handout=r"""
    Write `has_path_sum(root, target)` that returns `True` if some path from the root down to a
    **leaf** (a node without children) has values adding up to `target`. A path that stops at
    a node with children does not count. The empty tree has no path.

    ```python
    >>> root = TreeNode(5, TreeNode(4, TreeNode(11)), TreeNode(8))
    >>> has_path_sum(root, 20), has_path_sum(root, 13), has_path_sum(root, 9)
    (True, True, False)
    ```
    """,
    starter=r"""
    def has_path_sum(root, target):
        pass
    """,
    solution=r"""
    def has_path_sum(root, target):
        if root is None:
            return False
        rest = target - root.val
        if root.left is None and root.right is None:
            return rest == 0
        return has_path_sum(root.left, rest) or has_path_sum(root.right, rest)
    """,
    wrong=r"""
    def has_path_sum(root, target):
        if root is None:
            return False
        rest = target - root.val
        if rest == 0:
            return True
        return has_path_sum(root.left, rest) or has_path_sum(root.right, rest)
    """,
    tests=TREE_HELPERS
    + r"""

def example():
    return TreeNode(5, TreeNode(4, TreeNode(11)), TreeNode(8))


def test_empty_tree():
    import solution

    assert solution.has_path_sum(None, 0) is False


def test_path_sums():
    from solution import has_path_sum

    assert has_path_sum(example(), 20) is True
    assert has_path_sum(example(), 13) is True


def test_stopping_before_a_leaf_does_not_count():
    from solution import has_path_sum

    assert has_path_sum(example(), 9) is False
    assert has_path_sum(example(), 5) is False


def test_negative_values():
    from solution import has_path_sum

    root = TreeNode(-2, None, TreeNode(-3))
    assert has_path_sum(root, -5) is True
""",
)

add(
    "trees",
    "valid-bst",
    "Is it a binary search tree?",
    handout=r"""
    Write `is_valid_bst(root)` that returns `True` if the tree is a binary search tree with
    distinct values: for **every** node, all values in its left subtree are smaller and all
    values in its right subtree are larger (not only its children). The empty tree is valid.

    ```python
    >>> is_valid_bst(TreeNode(2, TreeNode(1), TreeNode(3)))
    True
    >>> is_valid_bst(TreeNode(5, TreeNode(1), TreeNode(6, TreeNode(3), TreeNode(7))))
    False
    ```
    """,
    starter=r"""
    def is_valid_bst(root):
        pass
    """,
    solution=r"""
    def is_valid_bst(root, low=None, high=None):
        if root is None:
            return True
        if low is not None and root.val <= low:
            return False
        if high is not None and root.val >= high:
            return False
        return is_valid_bst(root.left, low, root.val) and is_valid_bst(root.right, root.val, high)
    """,
    wrong=r"""
    def is_valid_bst(root):
        if root is None:
            return True
        if root.left is not None and root.left.val >= root.val:
            return False
        if root.right is not None and root.right.val <= root.val:
            return False
        return is_valid_bst(root.left) and is_valid_bst(root.right)
    """,
    tests=TREE_HELPERS
    + r"""

from solution import is_valid_bst


def test_empty_tree():
    assert is_valid_bst(None) is True


def test_sample_is_valid():
    assert is_valid_bst(sample()) is True


def test_child_out_of_order():
    assert is_valid_bst(TreeNode(2, TreeNode(3), None)) is False


def test_grandchild_out_of_order():
    root = TreeNode(5, TreeNode(1), TreeNode(6, TreeNode(3), TreeNode(7)))
    assert is_valid_bst(root) is False


def test_duplicates_are_not_allowed():
    assert is_valid_bst(TreeNode(2, TreeNode(2), None)) is False


def test_ten_thousand_nodes():
    assert is_valid_bst(balanced(list(range(10_000)))) is True
""",
)

add(
    "trees",
    "from-sorted",
    "Balanced tree from sorted values",
    handout=r"""
    Write `from_sorted(values, node_class)` that builds a height-balanced binary search tree
    holding the sorted list `values` and returns its root (`None` for an empty list). Make
    every node with `node_class(value)` (its `left` and `right` start as `None`). "Balanced"
    means the depths of the two subtrees of every node differ by at most one: use the middle
    value as the root. It must work for 10 000 values.

    ```python
    >>> root = from_sorted([1, 2, 3], TreeNode)
    >>> root.val, root.left.val, root.right.val
    (2, 1, 3)
    ```
    """,
    starter=r"""
    def from_sorted(values, node_class):
        pass
    """,
    solution=r"""
    def from_sorted(values, node_class):
        def build(lo, hi):
            if lo >= hi:
                return None
            mid = (lo + hi) // 2
            node = node_class(values[mid])
            node.left = build(lo, mid)
            node.right = build(mid + 1, hi)
            return node

        return build(0, len(values))
    """,
    wrong=r"""
    def from_sorted(values, node_class):
        def build(lo, hi):
            if lo >= hi:
                return None
            mid = (lo + hi) // 2
            node = node_class(values[mid])
            node.right = build(lo, mid)
            node.left = build(mid + 1, hi)
            return node

        return build(0, len(values))
    """,
    tests=TREE_HELPERS
    + r"""

from solution import from_sorted


def height(node):
    if node is None:
        return 0
    return 1 + max(height(node.left), height(node.right))


def test_empty():
    assert from_sorted([], TreeNode) is None


def test_three_values():
    root = from_sorted([1, 2, 3], TreeNode)
    assert (root.val, root.left.val, root.right.val) == (2, 1, 3)
    assert root.left.left is None


def test_nodes_have_the_given_class():
    root = from_sorted([1, 2], TreeNode)
    assert isinstance(root, TreeNode)


def test_ten_thousand_values():
    values = list(range(10_000))
    root = from_sorted(values, TreeNode)
    assert inorder_values(root) == values
    assert height(root) == 14
""",
)

# ---------------------------------------------------------------------------------------------
# 3. the student's classes, instantiated and used by the test

add(
    "classes",
    "stack",
    "A stack class",
    handout=r"""
    Write a class `Stack` (last in, first out) with:

    - `push(item)` puts `item` on top;
    - `pop()` removes and returns the top item, and raises `IndexError` when the stack is empty;
    - `peek()` returns the top item without removing it (`IndexError` when empty);
    - `is_empty()` returns `True` or `False`;
    - `len(stack)` gives the number of items.

    ```python
    >>> s = Stack()
    >>> s.push(1); s.push(2)
    >>> len(s), s.pop(), s.peek(), len(s)
    (2, 2, 1, 1)
    ```
    """,
    starter=r"""
    class Stack:
        def __init__(self):
            pass

        def push(self, item):
            pass

        def pop(self):
            pass

        def peek(self):
            pass

        def is_empty(self):
            pass

        def __len__(self):
            pass
    """,
    solution=r"""
    class Stack:
        def __init__(self):
            self._items = []

        def push(self, item):
            self._items.append(item)

        def pop(self):
            if not self._items:
                raise IndexError("pop from an empty stack")
            return self._items.pop()

        def peek(self):
            if not self._items:
                raise IndexError("peek at an empty stack")
            return self._items[-1]

        def is_empty(self):
            return not self._items

        def __len__(self):
            return len(self._items)
    """,
    wrong=r"""
    class Stack:
        def __init__(self):
            self._items = []

        def push(self, item):
            self._items.append(item)

        def pop(self):
            if not self._items:
                raise IndexError("pop from an empty stack")
            return self._items.pop(0)

        def peek(self):
            if not self._items:
                raise IndexError("peek at an empty stack")
            return self._items[-1]

        def is_empty(self):
            return not self._items

        def __len__(self):
            return len(self._items)
    """,
    tests=r"""
import pytest

from solution import Stack


def test_new_stack_is_empty():
    s = Stack()
    assert s.is_empty() is True
    assert len(s) == 0


def test_last_in_first_out():
    s = Stack()
    for item in "abc":
        s.push(item)
    assert len(s) == 3
    assert [s.pop(), s.pop(), s.pop()] == ["c", "b", "a"]
    assert s.is_empty()


def test_peek_does_not_remove():
    s = Stack()
    s.push(1)
    s.push(2)
    assert s.peek() == 2
    assert len(s) == 2


def test_pop_from_empty_raises_index_error():
    with pytest.raises(IndexError):
        Stack().pop()


def test_two_stacks_are_independent():
    a, b = Stack(), Stack()
    a.push(1)
    assert len(b) == 0
""",
)

add(
    "classes",
    "queue",
    "A queue you can walk through",
    handout=r"""
    Write a class `Queue` (first in, first out) with `enqueue(item)`, `dequeue()` (removes and
    returns the oldest item; `IndexError` when empty), `len(queue)`, iteration (`for item in
    queue` goes from the oldest to the newest item without removing anything) and `in`.

    ```python
    >>> q = Queue()
    >>> q.enqueue("a"); q.enqueue("b")
    >>> list(q), "b" in q, q.dequeue(), len(q)
    (['a', 'b'], True, 'a', 1)
    ```
    """,
    starter=r"""
    class Queue:
        def __init__(self):
            pass
    """,
    solution=r"""
    from collections import deque


    class Queue:
        def __init__(self):
            self._items = deque()

        def enqueue(self, item):
            self._items.append(item)

        def dequeue(self):
            if not self._items:
                raise IndexError("dequeue from an empty queue")
            return self._items.popleft()

        def __len__(self):
            return len(self._items)

        def __iter__(self):
            return iter(list(self._items))

        def __contains__(self, item):
            return item in self._items
    """,
    wrong=r"""
    from collections import deque


    class Queue:
        def __init__(self):
            self._items = deque()

        def enqueue(self, item):
            self._items.append(item)

        def dequeue(self):
            if not self._items:
                raise IndexError("dequeue from an empty queue")
            return self._items.popleft()

        def __len__(self):
            return len(self._items)

        def __iter__(self):
            return reversed(list(self._items))

        def __contains__(self, item):
            return item in self._items
    """,
    tests=r"""
import pytest

import solution


def make(*items):
    q = solution.Queue()
    for item in items:
        q.enqueue(item)
    return q


def test_first_in_first_out():
    q = make(1, 2, 3)
    assert q.dequeue() == 1
    assert q.dequeue() == 2
    assert len(q) == 1


def test_iteration_goes_oldest_first_and_keeps_items():
    q = make("a", "b", "c")
    assert list(q) == ["a", "b", "c"]
    assert [item for item in q] == ["a", "b", "c"]
    assert len(q) == 3


def test_membership():
    q = make("x", "y")
    assert "y" in q
    assert "z" not in q


def test_dequeue_from_empty_raises():
    with pytest.raises(IndexError):
        solution.Queue().dequeue()


def test_len_and_truth_of_empty_queue():
    q = make()
    assert len(q) == 0
    assert not q
""",
)

add(
    "classes",
    "bank-account",
    "A bank account",
    handout=r"""
    Write a class `BankAccount(owner, balance=0)` with attributes `owner` and `balance` and:

    - `deposit(amount)`: adds `amount`; raises `ValueError` if `amount` is not positive;
    - `withdraw(amount)`: subtracts `amount`; raises `ValueError` if `amount` is not positive
      or larger than the balance;
    - `str(account)` gives `"<owner>: <balance with 2 decimals>"`, e.g. `"Ada: 12.50"`.

    ```python
    >>> a = BankAccount("Ada", 10)
    >>> a.deposit(2.5)
    >>> a.balance, str(a)
    (12.5, 'Ada: 12.50')
    ```
    """,
    starter=r"""
    class BankAccount:
        def __init__(self, owner, balance=0):
            pass
    """,
    solution=r"""
    class BankAccount:
        def __init__(self, owner, balance=0):
            self.owner = owner
            self.balance = balance

        def deposit(self, amount):
            if amount <= 0:
                raise ValueError("deposit must be positive")
            self.balance += amount

        def withdraw(self, amount):
            if amount <= 0:
                raise ValueError("withdrawal must be positive")
            if amount > self.balance:
                raise ValueError("insufficient funds")
            self.balance -= amount

        def __str__(self):
            return f"{self.owner}: {self.balance:.2f}"
    """,
    wrong=r"""
    class BankAccount:
        def __init__(self, owner, balance=0):
            self.owner = owner
            self.balance = balance

        def deposit(self, amount):
            if amount <= 0:
                raise ValueError("deposit must be positive")
            self.balance += amount

        def withdraw(self, amount):
            if amount <= 0:
                raise ValueError("withdrawal must be positive")
            if amount > self.balance:
                raise ValueError("insufficient funds")
            self.balance -= amount

        def __str__(self):
            return f"{self.owner}: {self.balance}"
    """,
    tests=r"""
import pytest

from solution import BankAccount


def test_new_account():
    a = BankAccount("Ada")
    assert a.owner == "Ada"
    assert a.balance == 0


def test_deposit_and_withdraw():
    a = BankAccount("Bo", 100)
    a.deposit(50)
    a.withdraw(30)
    assert a.balance == 120


def test_bad_amounts_raise_value_error():
    a = BankAccount("Cy", 10)
    with pytest.raises(ValueError):
        a.deposit(0)
    with pytest.raises(ValueError):
        a.withdraw(-5)
    with pytest.raises(ValueError):
        a.withdraw(11)
    assert a.balance == 10


def test_str_shows_two_decimals():
    a = BankAccount("Ada", 10)
    a.deposit(2.5)
    assert str(a) == "Ada: 12.50"
    assert str(BankAccount("Zed")) == "Zed: 0.00"
""",
)

add(
    "classes",
    "vector",
    "A 2-D vector with operators",
    handout=r"""
    Write a class `Vector(x, y)` with attributes `x` and `y` and these operators:
    `v + w` and `v - w` (component by component, a new `Vector`), `v * k` (scaled by a number),
    `v == w` (same components), `abs(v)` (its length) and `repr(v)` giving `"Vector(x, y)"`.

    ```python
    >>> v = Vector(1, 2) + Vector(3, 4)
    >>> v.x, v.y, repr(v), abs(Vector(3, 4))
    (4, 6, 'Vector(4, 6)', 5.0)
    ```
    """,
    starter=r"""
    class Vector:
        def __init__(self, x, y):
            self.x = x
            self.y = y
    """,
    solution=r"""
    import math


    class Vector:
        def __init__(self, x, y):
            self.x = x
            self.y = y

        def __add__(self, other):
            return Vector(self.x + other.x, self.y + other.y)

        def __sub__(self, other):
            return Vector(self.x - other.x, self.y - other.y)

        def __mul__(self, k):
            return Vector(self.x * k, self.y * k)

        def __eq__(self, other):
            if not isinstance(other, Vector):
                return NotImplemented
            return (self.x, self.y) == (other.x, other.y)

        def __abs__(self):
            return math.hypot(self.x, self.y)

        def __repr__(self):
            return f"Vector({self.x}, {self.y})"
    """,
    wrong=r"""
    import math


    class Vector:
        def __init__(self, x, y):
            self.x = x
            self.y = y

        def __add__(self, other):
            return Vector(self.x + other.x, self.y + other.y)

        def __sub__(self, other):
            return Vector(other.x - self.x, other.y - self.y)

        def __mul__(self, k):
            return Vector(self.x * k, self.y * k)

        def __eq__(self, other):
            if not isinstance(other, Vector):
                return NotImplemented
            return (self.x, self.y) == (other.x, other.y)

        def __abs__(self):
            return math.hypot(self.x, self.y)

        def __repr__(self):
            return f"Vector({self.x}, {self.y})"
    """,
    tests=r"""
import pytest

import solution
from solution import Vector


def test_addition_gives_a_new_vector():
    a, b = Vector(1, 2), Vector(3, 4)
    c = a + b
    assert (c.x, c.y) == (4, 6)
    assert isinstance(c, solution.Vector)
    assert (a.x, a.y) == (1, 2)


def test_subtraction():
    c = Vector(5, 5) - Vector(1, 2)
    assert (c.x, c.y) == (4, 3)


def test_scaling():
    assert Vector(1, -2) * 3 == Vector(3, -6)


def test_equality_between_vectors():
    assert Vector(1, 2) == Vector(1, 2)
    assert Vector(1, 2) != Vector(2, 1)


def test_length_and_repr():
    assert abs(Vector(3, 4)) == pytest.approx(5.0)
    assert repr(Vector(4, 6)) == "Vector(4, 6)"
""",
)

add(
    "classes",
    "fraction",
    "A fraction class that can be sorted",
    handout=r"""
    Write a class `Frac(num, den)` for fractions, always stored in lowest terms with a positive
    denominator (attributes `num` and `den`). `Frac(2, -4)` has `num == -1` and `den == 2`.
    Support `==` and `<` between fractions (so a list of them can be sorted), `+` and
    `str(f)` as `"num/den"`. A zero denominator raises `ZeroDivisionError`.

    ```python
    >>> f = Frac(2, 4)
    >>> f.num, f.den, str(f), Frac(1, 2) == Frac(3, 6), Frac(1, 3) < Frac(1, 2)
    (1, 2, '1/2', True, True)
    ```
    """,
    starter=r"""
    class Frac:
        def __init__(self, num, den):
            pass
    """,
    solution=r"""
    from math import gcd


    class Frac:
        def __init__(self, num, den):
            if den == 0:
                raise ZeroDivisionError("denominator is zero")
            if den < 0:
                num, den = -num, -den
            g = gcd(num, den) or 1
            self.num = num // g
            self.den = den // g

        def __eq__(self, other):
            return (self.num, self.den) == (other.num, other.den)

        def __lt__(self, other):
            return self.num * other.den < other.num * self.den

        def __add__(self, other):
            return Frac(self.num * other.den + other.num * self.den, self.den * other.den)

        def __str__(self):
            return f"{self.num}/{self.den}"
    """,
    wrong=r"""
    class Frac:
        def __init__(self, num, den):
            if den == 0:
                raise ZeroDivisionError("denominator is zero")
            self.num = num
            self.den = den

        def __eq__(self, other):
            return self.num * other.den == other.num * self.den

        def __lt__(self, other):
            return self.num * other.den < other.num * self.den

        def __add__(self, other):
            return Frac(self.num * other.den + other.num * self.den, self.den * other.den)

        def __str__(self):
            return f"{self.num}/{self.den}"
    """,
    tests=r"""
import pytest

import solution


def test_lowest_terms():
    f = solution.Frac(6, 8)
    assert (f.num, f.den) == (3, 4)
    assert str(f) == "3/4"


def test_negative_denominator():
    f = solution.Frac(2, -4)
    assert (f.num, f.den) == (-1, 2)


def test_equality_and_order_between_fractions():
    assert solution.Frac(1, 2) == solution.Frac(2, 4)
    assert solution.Frac(1, 3) < solution.Frac(1, 2)
    assert not (solution.Frac(1, 2) < solution.Frac(1, 3))


def test_sorting_a_list_of_fractions():
    fracs = [solution.Frac(3, 4), solution.Frac(1, 8), solution.Frac(1, 2)]
    assert [str(f) for f in sorted(fracs)] == ["1/8", "1/2", "3/4"]


def test_sum():
    assert str(solution.Frac(1, 6) + solution.Frac(1, 3)) == "1/2"


def test_zero_denominator():
    with pytest.raises(ZeroDivisionError):
        solution.Frac(1, 0)
""",
)

add(
    "classes",
    "matrix",
    "A small matrix class",
    handout=r"""
    Write a class `Matrix(rows)` built from a list of equal-length rows, with:

    - `m.shape`: a tuple `(number of rows, number of columns)`;
    - `m[i, j]`: the element in row `i`, column `j`;
    - `m + n` (element by element) and `m @ n` (matrix product), each a new `Matrix`;
    - `m.transpose()` and `m == n` (same elements).

    ```python
    >>> m = Matrix([[1, 2, 3], [4, 5, 6]])
    >>> m.shape, m[1, 0], m.transpose()[2, 1]
    ((2, 3), 4, 6)
    ```
    """,
    starter=r"""
    class Matrix:
        def __init__(self, rows):
            pass
    """,
    solution=r"""
    class Matrix:
        def __init__(self, rows):
            self.rows = [list(row) for row in rows]

        @property
        def shape(self):
            return (len(self.rows), len(self.rows[0]) if self.rows else 0)

        def __getitem__(self, index):
            i, j = index
            return self.rows[i][j]

        def __add__(self, other):
            return Matrix(
                [[a + b for a, b in zip(r, s)] for r, s in zip(self.rows, other.rows)]
            )

        def __matmul__(self, other):
            cols = list(zip(*other.rows))
            return Matrix([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])

        def transpose(self):
            return Matrix([list(col) for col in zip(*self.rows)])

        def __eq__(self, other):
            return self.rows == other.rows
    """,
    wrong=r"""
    class Matrix:
        def __init__(self, rows):
            self.rows = [list(row) for row in rows]

        @property
        def shape(self):
            return (len(self.rows[0]) if self.rows else 0, len(self.rows))

        def __getitem__(self, index):
            i, j = index
            return self.rows[i][j]

        def __add__(self, other):
            return Matrix(
                [[a + b for a, b in zip(r, s)] for r, s in zip(self.rows, other.rows)]
            )

        def __matmul__(self, other):
            cols = list(zip(*other.rows))
            return Matrix([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])

        def transpose(self):
            return Matrix([list(col) for col in zip(*self.rows)])

        def __eq__(self, other):
            return self.rows == other.rows
    """,
    tests=r"""
from solution import Matrix


def test_shape_of_a_wide_matrix():
    assert Matrix([[1, 2, 3], [4, 5, 6]]).shape == (2, 3)


def test_indexing_with_a_pair():
    m = Matrix([[1, 2], [3, 4]])
    assert m[0, 1] == 2
    assert m[1, 0] == 3


def test_addition():
    total = Matrix([[1, 2], [3, 4]]) + Matrix([[10, 20], [30, 40]])
    assert total == Matrix([[11, 22], [33, 44]])


def test_product():
    a = Matrix([[1, 2, 3], [4, 5, 6]])
    b = Matrix([[7, 8], [9, 10], [11, 12]])
    product = a @ b
    assert product == Matrix([[58, 64], [139, 154]])
    assert product.shape == (2, 2)


def test_transpose():
    t = Matrix([[1, 2, 3], [4, 5, 6]]).transpose()
    assert t.shape == (3, 2)
    assert t[2, 1] == 6
    assert t == Matrix([[1, 4], [2, 5], [3, 6]])
""",
)

add(
    "classes",
    "inventory",
    "A shop inventory",
    handout=r"""
    Write a class `Inventory` that counts items by name:

    - `add(name, qty=1)` adds stock;
    - `remove(name, qty=1)` takes stock away: `KeyError` for an unknown name, `ValueError` if
      there are fewer than `qty`; an item whose stock reaches 0 is no longer in the inventory;
    - `inv[name]` is the stock of `name` (`KeyError` if absent), `name in inv` tells whether it
      is stocked, `len(inv)` is the number of different items;
    - `items()` returns a list of `(name, qty)` pairs sorted by name.

    ```python
    >>> inv = Inventory()
    >>> inv.add("pen", 3); inv.add("cup")
    >>> inv.remove("cup")
    >>> len(inv), "cup" in inv, inv["pen"], inv.items()
    (1, False, 3, [('pen', 3)])
    ```
    """,
    starter=r"""
    class Inventory:
        def __init__(self):
            pass
    """,
    solution=r"""
    class Inventory:
        def __init__(self):
            self._stock = {}

        def add(self, name, qty=1):
            self._stock[name] = self._stock.get(name, 0) + qty

        def remove(self, name, qty=1):
            if name not in self._stock:
                raise KeyError(name)
            if self._stock[name] < qty:
                raise ValueError(f"only {self._stock[name]} {name} left")
            self._stock[name] -= qty
            if self._stock[name] == 0:
                del self._stock[name]

        def __getitem__(self, name):
            return self._stock[name]

        def __contains__(self, name):
            return name in self._stock

        def __len__(self):
            return len(self._stock)

        def items(self):
            return sorted(self._stock.items())
    """,
    wrong=r"""
    class Inventory:
        def __init__(self):
            self._stock = {}

        def add(self, name, qty=1):
            self._stock[name] = self._stock.get(name, 0) + qty

        def remove(self, name, qty=1):
            if name not in self._stock:
                raise KeyError(name)
            if self._stock[name] < qty:
                raise ValueError(f"only {self._stock[name]} {name} left")
            self._stock[name] -= qty

        def __getitem__(self, name):
            return self._stock[name]

        def __contains__(self, name):
            return name in self._stock

        def __len__(self):
            return len(self._stock)

        def items(self):
            return sorted(self._stock.items())
    """,
    tests=r"""
import pytest

from solution import Inventory


def stocked():
    inv = Inventory()
    inv.add("pen", 3)
    inv.add("cup")
    inv.add("pen", 2)
    return inv


def test_counts_add_up():
    inv = stocked()
    assert inv["pen"] == 5
    assert inv["cup"] == 1
    assert len(inv) == 2


def test_items_sorted_by_name():
    assert stocked().items() == [("cup", 1), ("pen", 5)]


def test_removing_the_last_one_removes_the_item():
    inv = stocked()
    inv.remove("cup")
    assert "cup" not in inv
    assert len(inv) == 1
    assert inv.items() == [("pen", 5)]


def test_errors():
    inv = stocked()
    with pytest.raises(KeyError):
        inv.remove("hat")
    with pytest.raises(ValueError):
        inv.remove("pen", 6)
    with pytest.raises(KeyError):
        inv["hat"]
""",
)

add(
    "classes",
    "shapes",
    "A family of shapes",
    handout=r"""
    Write a base class `Shape` whose `area()` raises `NotImplementedError`, and three
    subclasses: `Circle(r)`, `Rectangle(w, h)` and `Square(side)` (a kind of `Rectangle`).
    Shapes compare by area: `a < b` if `a` has the smaller area, so a list of shapes can be
    sorted. `str(shape)` gives `"Circle(r=2)"`, `"Rectangle(w=2, h=3)"`, `"Square(side=2)"`.
    Use `math.pi`.

    ```python
    >>> Square(2).area(), isinstance(Square(2), Rectangle), str(Circle(1))
    (4, True, 'Circle(r=1)')
    ```
    """,
    starter=r"""
    import math


    class Shape:
        def area(self):
            raise NotImplementedError
    """,
    solution=r"""
    import math


    class Shape:
        def area(self):
            raise NotImplementedError

        def __lt__(self, other):
            return self.area() < other.area()


    class Circle(Shape):
        def __init__(self, r):
            self.r = r

        def area(self):
            return math.pi * self.r**2

        def __str__(self):
            return f"Circle(r={self.r})"


    class Rectangle(Shape):
        def __init__(self, w, h):
            self.w = w
            self.h = h

        def area(self):
            return self.w * self.h

        def __str__(self):
            return f"Rectangle(w={self.w}, h={self.h})"


    class Square(Rectangle):
        def __init__(self, side):
            super().__init__(side, side)
            self.side = side

        def __str__(self):
            return f"Square(side={self.side})"
    """,
    wrong=r"""
    import math


    class Shape:
        def area(self):
            raise NotImplementedError

        def __lt__(self, other):
            return self.area() < other.area()


    class Circle(Shape):
        def __init__(self, r):
            self.r = r

        def area(self):
            return 3.14 * self.r**2

        def __str__(self):
            return f"Circle(r={self.r})"


    class Rectangle(Shape):
        def __init__(self, w, h):
            self.w = w
            self.h = h

        def area(self):
            return self.w * self.h

        def __str__(self):
            return f"Rectangle(w={self.w}, h={self.h})"


    class Square(Rectangle):
        def __init__(self, side):
            super().__init__(side, side)
            self.side = side

        def __str__(self):
            return f"Square(side={self.side})"
    """,
    tests=r"""
import math

import pytest

import solution


def test_base_class_has_no_area():
    with pytest.raises(NotImplementedError):
        solution.Shape().area()


def test_areas():
    assert solution.Circle(2).area() == pytest.approx(math.pi * 4)
    assert solution.Rectangle(2, 3).area() == 6
    assert solution.Square(3).area() == 9


def test_class_hierarchy():
    square = solution.Square(2)
    assert isinstance(square, solution.Rectangle)
    assert isinstance(square, solution.Shape)
    assert isinstance(solution.Circle(1), solution.Shape)
    assert not isinstance(solution.Circle(1), solution.Rectangle)
    assert issubclass(solution.Square, solution.Shape)


def test_sorted_by_area():
    shapes = [solution.Rectangle(2, 3), solution.Circle(1), solution.Square(1)]
    assert [str(s) for s in sorted(shapes)] == [
        "Square(side=1)", "Circle(r=1)", "Rectangle(w=2, h=3)"
    ]
    assert solution.Square(1) < solution.Circle(1)
""",
)

add(
    "classes",
    "temperature",
    "A temperature with properties",
    handout=r"""
    Write a class `Temperature(celsius)` with a `celsius` attribute and a `fahrenheit`
    **property** that reads and writes the same temperature in Fahrenheit
    (`F = C * 9 / 5 + 32`). Setting a temperature below absolute zero (-273.15 C), in the
    constructor or through either property, raises `ValueError`.

    ```python
    >>> t = Temperature(100)
    >>> t.fahrenheit
    212.0
    >>> t.fahrenheit = 32
    >>> t.celsius
    0.0
    ```
    """,
    starter=r"""
    class Temperature:
        def __init__(self, celsius):
            self.celsius = celsius
    """,
    solution=r"""
    class Temperature:
        def __init__(self, celsius):
            self.celsius = celsius

        @property
        def celsius(self):
            return self._celsius

        @celsius.setter
        def celsius(self, value):
            if value < -273.15:
                raise ValueError("below absolute zero")
            self._celsius = value

        @property
        def fahrenheit(self):
            return self._celsius * 9 / 5 + 32

        @fahrenheit.setter
        def fahrenheit(self, value):
            self.celsius = (value - 32) * 5 / 9
    """,
    wrong=r"""
    class Temperature:
        def __init__(self, celsius):
            self.celsius = celsius

        @property
        def celsius(self):
            return self._celsius

        @celsius.setter
        def celsius(self, value):
            if value < -273.15:
                raise ValueError("below absolute zero")
            self._celsius = value

        @property
        def fahrenheit(self):
            return self._celsius * 9 / 5 + 32

        @fahrenheit.setter
        def fahrenheit(self, value):
            self.celsius = (value - 32) * 9 / 5
    """,
    tests=r"""
import pytest

from solution import Temperature


def test_reading_fahrenheit():
    assert Temperature(100).fahrenheit == pytest.approx(212.0)
    assert Temperature(-40).fahrenheit == pytest.approx(-40.0)


def test_writing_fahrenheit():
    t = Temperature(0)
    t.fahrenheit = 212
    assert t.celsius == pytest.approx(100.0)


def test_writing_celsius():
    t = Temperature(0)
    t.celsius = 37
    assert t.fahrenheit == pytest.approx(98.6)


def test_below_absolute_zero():
    with pytest.raises(ValueError):
        Temperature(-300)
    t = Temperature(0)
    with pytest.raises(ValueError):
        t.celsius = -274
    with pytest.raises(ValueError):
        t.fahrenheit = -500
    assert t.celsius == 0
""",
)

add(
    "classes",
    "playlist",
    "A playlist that behaves like a sequence",
    handout=r"""
    Write a class `Playlist(name)` holding song titles in order, with `add(title)`,
    `len(playlist)`, indexing (`playlist[0]`, `playlist[-1]`), iteration, and `in` that ignores
    case (`"yesterday" in p` is true if `"Yesterday"` was added). `repr(p)` gives
    `"Playlist('name', 3 songs)"`.

    ```python
    >>> p = Playlist("road trip")
    >>> p.add("Yesterday"); p.add("Help!")
    >>> len(p), p[-1], "HELP!" in p, repr(p)
    (2, 'Help!', True, "Playlist('road trip', 2 songs)")
    ```
    """,
    starter=r"""
    class Playlist:
        def __init__(self, name):
            pass
    """,
    solution=r"""
    class Playlist:
        def __init__(self, name):
            self.name = name
            self._songs = []

        def add(self, title):
            self._songs.append(title)

        def __len__(self):
            return len(self._songs)

        def __getitem__(self, index):
            return self._songs[index]

        def __iter__(self):
            return iter(self._songs)

        def __contains__(self, title):
            return title.lower() in (song.lower() for song in self._songs)

        def __repr__(self):
            return f"Playlist({self.name!r}, {len(self._songs)} songs)"
    """,
    wrong=r"""
    class Playlist:
        def __init__(self, name):
            self.name = name
            self._songs = []

        def add(self, title):
            self._songs.append(title)

        def __len__(self):
            return len(self._songs)

        def __getitem__(self, index):
            return self._songs[index]

        def __iter__(self):
            return iter(self._songs)

        def __contains__(self, title):
            return title in self._songs

        def __repr__(self):
            return f"Playlist({self.name!r}, {len(self._songs)} songs)"
    """,
    tests=r"""
import pytest

from solution import Playlist


def make():
    p = Playlist("road trip")
    for title in ["Yesterday", "Help!", "Something"]:
        p.add(title)
    return p


def test_len_and_indexing():
    p = make()
    assert len(p) == 3
    assert p[0] == "Yesterday"
    assert p[-1] == "Something"
    with pytest.raises(IndexError):
        p[3]


def test_iteration_in_order():
    assert list(make()) == ["Yesterday", "Help!", "Something"]
    assert [title.upper() for title in make()][1] == "HELP!"


def test_membership_ignores_case():
    p = make()
    assert "Help!" in p
    assert "yesterday" in p
    assert "SOMETHING" in p
    assert "Let It Be" not in p


def test_repr():
    assert repr(make()) == "Playlist('road trip', 3 songs)"
    assert repr(Playlist("empty")) == "Playlist('empty', 0 songs)"
""",
)

add(
    "classes",
    "ticket-counter",
    "Tickets numbered by their class",
    handout=r"""
    Write a class `Ticket(holder)` whose instances get consecutive numbers in the order they
    are made: attribute `number`, starting at 1. The class keeps the count: the class method
    `Ticket.issued()` returns how many tickets were made, and `Ticket.reset()` starts again
    from 1. `str(ticket)` gives `"#<number> <holder>"`.

    ```python
    >>> Ticket.reset()
    >>> a, b = Ticket("Ann"), Ticket("Ben")
    >>> a.number, b.number, Ticket.issued(), str(b)
    (1, 2, 2, '#2 Ben')
    ```
    """,
    starter=r"""
    class Ticket:
        def __init__(self, holder):
            self.holder = holder
    """,
    solution=r"""
    class Ticket:
        _count = 0

        def __init__(self, holder):
            Ticket._count += 1
            self.holder = holder
            self.number = Ticket._count

        @classmethod
        def issued(cls):
            return cls._count

        @classmethod
        def reset(cls):
            cls._count = 0

        def __str__(self):
            return f"#{self.number} {self.holder}"
    """,
    wrong=r"""
    class Ticket:
        _count = 0

        def __init__(self, holder):
            self._count += 1
            self.holder = holder
            self.number = self._count

        @classmethod
        def issued(cls):
            return cls._count

        @classmethod
        def reset(cls):
            cls._count = 0

        def __str__(self):
            return f"#{self.number} {self.holder}"
    """,
    tests=r"""
import solution


def test_numbers_follow_each_other():
    solution.Ticket.reset()
    tickets = [solution.Ticket(name) for name in ["Ann", "Ben", "Cy"]]
    assert [t.number for t in tickets] == [1, 2, 3]
    assert solution.Ticket.issued() == 3


def test_reset_starts_again():
    solution.Ticket.reset()
    solution.Ticket("x")
    solution.Ticket.reset()
    assert solution.Ticket.issued() == 0
    assert solution.Ticket("y").number == 1


def test_str():
    solution.Ticket.reset()
    solution.Ticket("Ann")
    assert str(solution.Ticket("Ben")) == "#2 Ben"
""",
)

# ---------------------------------------------------------------------------------------------
# 4. exceptions: builtin and the student's own, matched by type, base, message and attributes

add(
    "exceptions",
    "parse-age",
    "Parse an age",
    handout=r"""
    Write `parse_age(text)` that turns `text` into an age (an `int`). Surrounding spaces are
    allowed. Raise `ValueError("age must be a whole number")` if `text` is not a whole number,
    and `ValueError("age must be between 0 and 150")` if it is outside 0..150 (both ends
    allowed).

    ```python
    >>> parse_age(" 42 ")
    42
    >>> parse_age("abc")
    Traceback (most recent call last):
    ValueError: age must be a whole number
    ```
    """,
    starter=r"""
    def parse_age(text):
        pass
    """,
    solution=r"""
    def parse_age(text):
        try:
            age = int(text.strip())
        except ValueError:
            raise ValueError("age must be a whole number") from None
        if not 0 <= age <= 150:
            raise ValueError("age must be between 0 and 150")
        return age
    """,
    wrong=r"""
    def parse_age(text):
        try:
            age = int(text.strip())
        except ValueError:
            raise ValueError("age must be a whole number") from None
        if not 0 < age <= 150:
            raise ValueError("age must be between 0 and 150")
        return age
    """,
    tests=r"""
import pytest

from solution import parse_age


@pytest.mark.parametrize("text, age", [("42", 42), (" 7 ", 7), ("0", 0), ("150", 150)])
def test_valid_ages(text, age):
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["abc", "4.5", "", "12a"])
def test_not_a_number(text):
    with pytest.raises(ValueError, match="whole number"):
        parse_age(text)


@pytest.mark.parametrize("text", ["-1", "151", "1000"])
def test_out_of_range(text):
    with pytest.raises(ValueError, match=r"between 0 and 150"):
        parse_age(text)
""",
)

add(
    "exceptions",
    "safe-divide",
    "Division with clear errors",
    handout=r"""
    Write `divide(a, b)` that returns `a / b`. If `b` is zero, raise `ZeroDivisionError` with
    the message `"cannot divide <a> by zero"`. If `a` or `b` is not an `int` or `float`, raise
    `TypeError("divide needs numbers")`.

    ```python
    >>> divide(7, 2)
    3.5
    >>> divide(5, 0)
    Traceback (most recent call last):
    ZeroDivisionError: cannot divide 5 by zero
    ```
    """,
    starter=r"""
    def divide(a, b):
        pass
    """,
    solution=r"""
    def divide(a, b):
        for x in (a, b):
            if not isinstance(x, (int, float)):
                raise TypeError("divide needs numbers")
        if b == 0:
            raise ZeroDivisionError(f"cannot divide {a} by zero")
        return a / b
    """,
    wrong=r"""
    def divide(a, b):
        for x in (a, b):
            if not isinstance(x, (int, float)):
                raise TypeError("divide needs numbers")
        return a / b
    """,
    tests=r"""
import pytest

import solution


def test_plain_division():
    assert solution.divide(7, 2) == pytest.approx(3.5)


def test_zero_divisor_message():
    try:
        solution.divide(5, 0)
    except ZeroDivisionError as exc:
        assert str(exc) == "cannot divide 5 by zero"
    else:
        assert False, "no ZeroDivisionError"


def test_zero_divisor_is_an_arithmetic_error():
    with pytest.raises(ArithmeticError):
        solution.divide(1.5, 0)


def test_not_numbers():
    with pytest.raises(TypeError, match="needs numbers"):
        solution.divide("6", 3)
""",
)

add(
    "exceptions",
    "missing-price",
    "A missing key",
    handout=r"""
    Write `total_cost(prices, basket)`: `prices` maps item names to prices and `basket` maps
    item names to quantities. Return the total cost. If an item of the basket has no price,
    raise `KeyError` with the item name as its only argument (as a dict does:
    `KeyError('kiwi')`). A negative quantity raises `ValueError`.

    ```python
    >>> total_cost({"apple": 0.5, "pear": 0.75}, {"apple": 4, "pear": 2})
    3.5
    ```
    """,
    starter=r"""
    def total_cost(prices, basket):
        pass
    """,
    solution=r"""
    def total_cost(prices, basket):
        total = 0
        for item, qty in basket.items():
            if qty < 0:
                raise ValueError(f"negative quantity of {item}")
            if item not in prices:
                raise KeyError(item)
            total += prices[item] * qty
        return total
    """,
    wrong=r"""
    def total_cost(prices, basket):
        total = 0
        for item, qty in basket.items():
            if qty < 0:
                raise ValueError(f"negative quantity of {item}")
            if item not in prices:
                raise KeyError(f"no price for {item}")
            total += prices[item] * qty
        return total
    """,
    tests=r"""
import pytest

from solution import total_cost

PRICES = {"apple": 0.5, "pear": 0.75}


def test_total():
    assert total_cost(PRICES, {"apple": 4, "pear": 2}) == pytest.approx(3.5)
    assert total_cost(PRICES, {}) == 0


def test_missing_price_names_the_item():
    with pytest.raises(KeyError) as excinfo:
        total_cost(PRICES, {"apple": 1, "kiwi": 3})
    assert excinfo.value.args == ("kiwi",)
    assert excinfo.type is KeyError


def test_missing_price_is_a_lookup_error():
    with pytest.raises(LookupError):
        total_cost(PRICES, {"fig": 1})


def test_negative_quantity():
    with pytest.raises(ValueError, match="apple"):
        total_cost(PRICES, {"apple": -1})
""",
)

add(
    "exceptions",
    "insufficient-funds",
    "Your own exception class",
    handout=r"""
    Define an exception class `InsufficientFunds` that is a kind of `ValueError`. Its
    constructor takes `needed` and `available`, keeps them as attributes of the same names,
    and its message (`str(exc)`) is `"need <needed - available> more"`.

    Then write `withdraw(balance, amount)` that returns the new balance, or raises
    `InsufficientFunds(amount, balance)` when `amount` is more than `balance`.

    ```python
    >>> withdraw(100, 30)
    70
    >>> withdraw(20, 50)
    Traceback (most recent call last):
    InsufficientFunds: need 30 more
    ```
    """,
    starter=r"""
    class InsufficientFunds(ValueError):
        pass


    def withdraw(balance, amount):
        pass
    """,
    solution=r"""
    class InsufficientFunds(ValueError):
        def __init__(self, needed, available):
            super().__init__(f"need {needed - available} more")
            self.needed = needed
            self.available = available


    def withdraw(balance, amount):
        if amount > balance:
            raise InsufficientFunds(amount, balance)
        return balance - amount
    """,
    wrong=r"""
    class InsufficientFunds(Exception):
        def __init__(self, needed, available):
            super().__init__(f"need {needed - available} more")
            self.needed = needed
            self.available = available


    def withdraw(balance, amount):
        if amount > balance:
            raise InsufficientFunds(amount, balance)
        return balance - amount
    """,
    tests=r"""
import pytest

import solution


def test_enough_money():
    assert solution.withdraw(100, 30) == 70
    assert solution.withdraw(30, 30) == 0


def test_raises_the_own_exception():
    with pytest.raises(solution.InsufficientFunds, match="need 30 more"):
        solution.withdraw(20, 50)


def test_it_is_a_value_error():
    with pytest.raises(ValueError):
        solution.withdraw(0, 1)
    assert issubclass(solution.InsufficientFunds, ValueError)


def test_attributes_and_args():
    with pytest.raises(solution.InsufficientFunds) as excinfo:
        solution.withdraw(20, 50)
    assert excinfo.value.needed == 50
    assert excinfo.value.available == 20
    assert excinfo.value.args == ("need 30 more",)
    assert str(excinfo.value) == "need 30 more"
    assert excinfo.type.__name__ == "InsufficientFunds"


def test_caught_with_try_except():
    try:
        solution.withdraw(5, 6)
    except ValueError as exc:
        assert isinstance(exc, solution.InsufficientFunds)
        assert str(exc) == "need 1 more"
    else:
        assert False, "no exception"
""",
)

add(
    "exceptions",
    "validation-hierarchy",
    "A family of validation errors",
    handout=r"""
    Define `ValidationError(ValueError)` with an attribute `field`, and two subclasses:
    `MissingField(ValidationError)` and `WrongType(ValidationError, TypeError)`. Each is made
    as `Cls(field, message)`; `str(exc)` is `"<field>: <message>"`.

    Write `validate(record)`: `record` is a dict that must have a `"name"` (a `str`) and an
    `"age"` (an `int`). Raise `MissingField` for the first missing key (name before age),
    `WrongType` for a value of the wrong type, otherwise return `True`.

    ```python
    >>> validate({"name": "Ada", "age": 36})
    True
    >>> validate({"name": "Ada", "age": "36"})
    Traceback (most recent call last):
    WrongType: age: must be an int
    ```
    """,
    starter=r"""
    class ValidationError(ValueError):
        pass


    class MissingField(ValidationError):
        pass


    class WrongType(ValidationError, TypeError):
        pass


    def validate(record):
        pass
    """,
    solution=r"""
    class ValidationError(ValueError):
        def __init__(self, field, message):
            super().__init__(f"{field}: {message}")
            self.field = field


    class MissingField(ValidationError):
        pass


    class WrongType(ValidationError, TypeError):
        pass


    def validate(record):
        for field, kind in (("name", str), ("age", int)):
            if field not in record:
                raise MissingField(field, "is missing")
            if not isinstance(record[field], kind):
                article = "an" if kind is int else "a"
                raise WrongType(field, f"must be {article} {kind.__name__}")
        return True
    """,
    wrong=r"""
    class ValidationError(ValueError):
        def __init__(self, field, message):
            super().__init__(f"{field}: {message}")
            self.field = field


    class MissingField(ValidationError):
        pass


    class WrongType(ValidationError):
        pass


    def validate(record):
        for field, kind in (("name", str), ("age", int)):
            if field not in record:
                raise MissingField(field, "is missing")
            if not isinstance(record[field], kind):
                article = "an" if kind is int else "a"
                raise WrongType(field, f"must be {article} {kind.__name__}")
        return True
    """,
    tests=r"""
import pytest

import solution


def test_valid_record():
    assert solution.validate({"name": "Ada", "age": 36}) is True


def test_missing_field():
    with pytest.raises(solution.MissingField) as excinfo:
        solution.validate({"age": 3})
    assert excinfo.value.field == "name"
    assert str(excinfo.value) == "name: is missing"


def test_missing_field_is_a_validation_error_and_a_value_error():
    with pytest.raises(solution.ValidationError):
        solution.validate({"name": "Bo"})
    with pytest.raises(ValueError, match="^age: is missing$"):
        solution.validate({"name": "Bo"})


def test_wrong_type_is_also_a_type_error():
    with pytest.raises(TypeError, match="age: must be an int") as excinfo:
        solution.validate({"name": "Ada", "age": "36"})
    assert excinfo.type is solution.WrongType
    assert isinstance(excinfo.value, solution.ValidationError)


def test_catching_the_base_class():
    caught = []
    for record in [{}, {"name": 1, "age": 2}, {"name": "x", "age": 2}]:
        try:
            solution.validate(record)
        except solution.ValidationError as exc:
            caught.append(type(exc).__name__)
    assert caught == ["MissingField", "WrongType"]
""",
)

add(
    "exceptions",
    "index-message",
    "An index error that explains itself",
    handout=r"""
    Write `item_at(items, index)` that returns `items[index]`, negative indexes counting from
    the end as usual. If the index is out of range, raise `IndexError` with the message
    `"index <index> out of range for <len> items"`.

    ```python
    >>> item_at(["a", "b", "c"], -1)
    'c'
    >>> item_at(["a", "b", "c"], 5)
    Traceback (most recent call last):
    IndexError: index 5 out of range for 3 items
    ```
    """,
    starter=r"""
    def item_at(items, index):
        pass
    """,
    solution=r"""
    def item_at(items, index):
        if not -len(items) <= index < len(items):
            raise IndexError(f"index {index} out of range for {len(items)} items")
        return items[index]
    """,
    wrong=r"""
    def item_at(items, index):
        if not 0 <= index < len(items):
            raise IndexError(f"index {index} out of range for {len(items)} items")
        return items[index]
    """,
    tests=r"""
import pytest

from solution import item_at


def test_positive_index():
    assert item_at(["a", "b", "c"], 1) == "b"


def test_negative_index():
    assert item_at(["a", "b", "c"], -1) == "c"
    assert item_at(["a", "b", "c"], -3) == "a"


@pytest.mark.parametrize("index, size", [(3, 3), (5, 3), (-4, 3), (0, 0)])
def test_out_of_range_message(index, size):
    with pytest.raises(IndexError) as excinfo:
        item_at(list(range(size)), index)
    assert str(excinfo.value) == f"index {index} out of range for {size} items"
""",
)

add(
    "exceptions",
    "retry",
    "Try again",
    handout=r"""
    Write `retry(action, attempts)` that calls `action()` (a function without arguments) until
    it returns without raising an exception, at most `attempts` times, and returns what it
    returned. If every attempt raised, raise the exception of the **last** attempt again.

    ```python
    >>> calls = iter([ValueError("first"), 42])
    >>> def action():
    ...     x = next(calls)
    ...     if isinstance(x, Exception):
    ...         raise x
    ...     return x
    >>> retry(action, 3)
    42
    ```
    """,
    starter=r"""
    def retry(action, attempts):
        pass
    """,
    solution=r"""
    def retry(action, attempts):
        last = None
        for _ in range(attempts):
            try:
                return action()
            except Exception as exc:
                last = exc
        raise last
    """,
    wrong=r"""
    def retry(action, attempts):
        first = None
        for _ in range(attempts):
            try:
                return action()
            except Exception as exc:
                if first is None:
                    first = exc
        raise first
    """,
    tests=r"""
import pytest

from solution import retry


class Flaky:
    # fails with the given exceptions, in order, then returns "ok"
    def __init__(self, *failures):
        self.failures = list(failures)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "ok"


def test_success_at_once():
    action = Flaky()
    assert retry(action, 3) == "ok"
    assert action.calls == 1


def test_success_after_failures():
    action = Flaky(ConnectionError("one"), TimeoutError("two"))
    assert retry(action, 3) == "ok"
    assert action.calls == 3


def test_every_attempt_fails_raises_the_last_error():
    action = Flaky(ConnectionError("first"), OSError("second"), TimeoutError("third"))
    with pytest.raises(TimeoutError, match="third"):
        retry(action, 3)
    assert action.calls == 3


def test_the_test_own_exception_class_comes_back():
    class Boom(Exception):
        pass

    action = Flaky(Boom("a"), Boom("b"))
    with pytest.raises(Boom) as excinfo:
        retry(action, 2)
    assert excinfo.value.args == ("b",)
""",
)

add(
    "exceptions",
    "config-error",
    "Errors with a cause",
    handout=r"""
    Define `ConfigError(Exception)` with an attribute `line`. Write `parse_config(text)` that
    reads lines `key = number` into a dict of `int`s, skipping blank lines. When a line has no
    `=` or its value is not a whole number, raise `ConfigError(f"line {n}: ...")` with `line`
    set to `n`, the line's number counted **from 1**. For a value that is not a number, raise
    it `from` the `ValueError` that `int()` raised, so that it is its `__cause__`.

    ```python
    >>> parse_config("a = 1\n\nb = 22")
    {'a': 1, 'b': 22}
    >>> parse_config("a = 1\nb = x")
    Traceback (most recent call last):
    ConfigError: line 2: bad number 'x'
    ```
    """,
    starter=r"""
    class ConfigError(Exception):
        pass


    def parse_config(text):
        pass
    """,
    solution=r"""
    class ConfigError(Exception):
        def __init__(self, line, message):
            super().__init__(f"line {line}: {message}")
            self.line = line


    def parse_config(text):
        config = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            if "=" not in line:
                raise ConfigError(number, "expected key = value")
            key, value = (part.strip() for part in line.split("=", 1))
            try:
                config[key] = int(value)
            except ValueError as exc:
                raise ConfigError(number, f"bad number {value!r}") from exc
        return config
    """,
    wrong=r"""
    class ConfigError(Exception):
        def __init__(self, line, message):
            super().__init__(f"line {line}: {message}")
            self.line = line


    def parse_config(text):
        config = {}
        for number, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            if "=" not in line:
                raise ConfigError(number, "expected key = value")
            key, value = (part.strip() for part in line.split("=", 1))
            try:
                config[key] = int(value)
            except ValueError as exc:
                raise ConfigError(number, f"bad number {value!r}") from exc
        return config
    """,
    tests=r"""
import pytest

import solution


def test_good_config():
    assert solution.parse_config("a = 1\n\nb = 22") == {"a": 1, "b": 22}
    assert solution.parse_config("") == {}


def test_bad_number_names_the_line_and_keeps_the_cause():
    with pytest.raises(solution.ConfigError, match=r"^line 2: bad number 'x'$") as excinfo:
        solution.parse_config("a = 1\nb = x")
    assert excinfo.value.line == 2
    assert isinstance(excinfo.value.__cause__, ValueError)


def test_line_without_equals():
    try:
        solution.parse_config("\n\nnonsense")
    except solution.ConfigError as exc:
        assert exc.line == 3
        assert "line 3" in str(exc)
    else:
        assert False, "no ConfigError"


def test_it_is_not_a_value_error():
    with pytest.raises(Exception) as excinfo:
        solution.parse_config("k = 1.5")
    assert not isinstance(excinfo.value, ValueError)
    assert isinstance(excinfo.value, solution.ConfigError)
""",
)

add(
    "exceptions",
    "finally-log",
    "Clean up even when it fails",
    handout=r"""
    Write `process(items, log)`: append `"start"` to the list `log`, then convert every item
    with `int()` and append `"ok <value>"` for each, and **always** append `"end"` at the
    finish, even when a conversion raises. The exception must still reach the caller. Return
    the list of converted values.

    ```python
    >>> log = []
    >>> process(["1", "x"], log)
    Traceback (most recent call last):
    ValueError: invalid literal for int() with base 10: 'x'
    >>> log
    ['start', 'ok 1', 'end']
    ```
    """,
    starter=r"""
    def process(items, log):
        pass
    """,
    solution=r"""
    def process(items, log):
        log.append("start")
        values = []
        try:
            for item in items:
                value = int(item)
                values.append(value)
                log.append(f"ok {value}")
        finally:
            log.append("end")
        return values
    """,
    wrong=r"""
    def process(items, log):
        log.append("start")
        values = []
        for item in items:
            value = int(item)
            values.append(value)
            log.append(f"ok {value}")
        log.append("end")
        return values
    """,
    tests=r"""
import pytest

from solution import process


def test_all_good():
    log = []
    assert process(["1", " 2 "], log) == [1, 2]
    assert log == ["start", "ok 1", "ok 2", "end"]


def test_failure_still_logs_the_end():
    log = []
    with pytest.raises(ValueError, match="invalid literal"):
        process(["1", "x", "3"], log)
    assert log == ["start", "ok 1", "end"]


def test_type_error_also_propagates():
    log = ["before"]
    with pytest.raises(TypeError):
        process([None], log)
    assert log == ["before", "start", "end"]
""",
)

add(
    "exceptions",
    "require-int",
    "Insist on an integer",
    handout=r"""
    Write `require_int(x)` that returns `x` if it is an `int`, and otherwise raises
    `TypeError("expected int, got <type name>")`. `True` and `False` are `bool`s here, not
    integers, even though `bool` is a subclass of `int`.

    ```python
    >>> require_int(5)
    5
    >>> require_int("5")
    Traceback (most recent call last):
    TypeError: expected int, got str
    ```
    """,
    starter=r"""
    def require_int(x):
        pass
    """,
    solution=r"""
    def require_int(x):
        if not isinstance(x, int) or isinstance(x, bool):
            raise TypeError(f"expected int, got {type(x).__name__}")
        return x
    """,
    wrong=r"""
    def require_int(x):
        if not isinstance(x, int):
            raise TypeError(f"expected int, got {type(x).__name__}")
        return x
    """,
    tests=r"""
import pytest

from solution import require_int


def test_ints_pass_through():
    assert require_int(5) == 5
    assert require_int(-10**20) == -10**20


@pytest.mark.parametrize("value, name", [("5", "str"), (5.0, "float"), (None, "NoneType"),
                                         ([1], "list"), (True, "bool")])
def test_other_types(value, name):
    with pytest.raises(TypeError, match=f"^expected int, got {name}$"):
        require_int(value)
""",
)

# ---------------------------------------------------------------------------------------------
# 5. generators and iterator objects returned by the student

add(
    "generators",
    "countdown",
    "Count down with a generator",
    handout=r"""
    Write a generator function `countdown(n)` that yields `n`, `n - 1`, ..., `1` and then
    stops. `countdown(0)` yields nothing.

    ```python
    >>> it = countdown(3)
    >>> next(it), next(it), next(it)
    (3, 2, 1)
    >>> next(it)
    Traceback (most recent call last):
    StopIteration
    ```
    """,
    starter=r"""
    def countdown(n):
        yield
    """,
    solution=r"""
    def countdown(n):
        while n > 0:
            yield n
            n -= 1
    """,
    wrong=r"""
    def countdown(n):
        while n >= 0:
            yield n
            n -= 1
    """,
    tests=r"""
import pytest

from solution import countdown


def test_next_by_next():
    it = countdown(3)
    assert next(it) == 3
    assert next(it) == 2
    assert next(it) == 1
    with pytest.raises(StopIteration):
        next(it)


def test_as_a_list():
    assert list(countdown(5)) == [5, 4, 3, 2, 1]


def test_zero_yields_nothing():
    assert list(countdown(0)) == []


def test_it_is_an_iterator():
    it = countdown(2)
    assert iter(it) is it
    assert next(it, "done") == 2
""",
)

add(
    "generators",
    "evens-forever",
    "An endless stream of even numbers",
    handout=r"""
    Write a generator function `evens(start=0)` that yields the even numbers from `start`
    (or from the next even number above it, if `start` is odd) upwards, without end. Take what
    you need with `itertools.islice`.

    ```python
    >>> from itertools import islice
    >>> list(islice(evens(), 4))
    [0, 2, 4, 6]
    >>> list(islice(evens(7), 3))
    [8, 10, 12]
    ```
    """,
    starter=r"""
    def evens(start=0):
        yield
    """,
    solution=r"""
    def evens(start=0):
        n = start if start % 2 == 0 else start + 1
        while True:
            yield n
            n += 2
    """,
    wrong=r"""
    def evens(start=0):
        n = start + 1 if start % 2 else start + 2
        while True:
            yield n
            n += 2
    """,
    tests=r"""
from itertools import islice

from solution import evens


def test_first_four():
    assert list(islice(evens(), 4)) == [0, 2, 4, 6]


def test_odd_start():
    assert list(islice(evens(7), 3)) == [8, 10, 12]


def test_even_start_is_included():
    assert next(evens(10)) == 10


def test_goes_on_for_a_long_time():
    it = evens()
    for _ in range(10_000):
        next(it)
    assert next(it) == 20_000
""",
)

add(
    "generators",
    "fibonacci",
    "Fibonacci numbers, lazily",
    handout=r"""
    Write a generator function `fibonacci()` that yields the Fibonacci numbers 0, 1, 1, 2, 3,
    5, 8, ... without end (each is the sum of the two before it).

    ```python
    >>> from itertools import islice
    >>> list(islice(fibonacci(), 8))
    [0, 1, 1, 2, 3, 5, 8, 13]
    ```
    """,
    starter=r"""
    def fibonacci():
        yield
    """,
    solution=r"""
    def fibonacci():
        a, b = 0, 1
        while True:
            yield a
            a, b = b, a + b
    """,
    wrong=r"""
    def fibonacci():
        a, b = 1, 1
        while True:
            yield a
            a, b = b, a + b
    """,
    tests=r"""
import itertools

import solution


def test_first_values():
    assert list(itertools.islice(solution.fibonacci(), 8)) == [0, 1, 1, 2, 3, 5, 8, 13]


def test_hundredth_value():
    it = solution.fibonacci()
    assert next(itertools.islice(it, 100, None)) == 354224848179261915075


def test_independent_generators():
    a, b = solution.fibonacci(), solution.fibonacci()
    next(a)
    next(a)
    assert next(b) == 0
    assert next(a) == 1


def test_takewhile():
    small = list(itertools.takewhile(lambda n: n < 50, solution.fibonacci()))
    assert small == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
""",
)

add(
    "generators",
    "squares-iterator",
    "An iterator class",
    handout=r"""
    Write a class `Squares(n)` that is its own iterator: `iter(obj)` returns the object itself
    and `next(obj)` gives `0, 1, 4, 9, ...` up to `(n - 1) ** 2`, then raises
    `StopIteration`. Write it with `__iter__` and `__next__`, without `yield`.

    ```python
    >>> list(Squares(4))
    [0, 1, 4, 9]
    ```
    """,
    starter=r"""
    class Squares:
        def __init__(self, n):
            pass

        def __iter__(self):
            pass

        def __next__(self):
            pass
    """,
    solution=r"""
    class Squares:
        def __init__(self, n):
            self.n = n
            self.i = 0

        def __iter__(self):
            return self

        def __next__(self):
            if self.i >= self.n:
                raise StopIteration
            value = self.i * self.i
            self.i += 1
            return value
    """,
    wrong=r"""
    class Squares:
        def __init__(self, n):
            self.n = n
            self.i = 0

        def __iter__(self):
            return self

        def __next__(self):
            if self.i > self.n:
                raise StopIteration
            value = self.i * self.i
            self.i += 1
            return value
    """,
    tests=r"""
import pytest

from solution import Squares


def test_list():
    assert list(Squares(4)) == [0, 1, 4, 9]


def test_is_its_own_iterator():
    sq = Squares(2)
    assert iter(sq) is sq
    assert next(sq) == 0
    assert next(sq) == 1
    with pytest.raises(StopIteration):
        next(sq)


def test_for_loop_and_sum():
    total = 0
    for value in Squares(10):
        total += value
    assert total == 285


def test_empty():
    assert list(Squares(0)) == []
""",
)

add(
    "generators",
    "reusable-span",
    "An iterable you can walk twice",
    handout=r"""
    Write a class `Span(start, stop)` that is **iterable** several times: each `for` loop over
    the same `Span` object goes from `start` up to, not including, `stop`. (An iterator that
    returns itself would be empty the second time: make `__iter__` return a fresh iterator,
    for example a generator.) Also give it `len()`.

    ```python
    >>> s = Span(2, 5)
    >>> list(s), list(s), len(s)
    ([2, 3, 4], [2, 3, 4], 3)
    ```
    """,
    starter=r"""
    class Span:
        def __init__(self, start, stop):
            pass
    """,
    solution=r"""
    class Span:
        def __init__(self, start, stop):
            self.start = start
            self.stop = stop

        def __iter__(self):
            value = self.start
            while value < self.stop:
                yield value
                value += 1

        def __len__(self):
            return max(0, self.stop - self.start)
    """,
    wrong=r"""
    class Span:
        def __init__(self, start, stop):
            self.start = start
            self.stop = stop
            self.current = start

        def __iter__(self):
            return self

        def __next__(self):
            if self.current >= self.stop:
                raise StopIteration
            self.current += 1
            return self.current - 1

        def __len__(self):
            return max(0, self.stop - self.start)
    """,
    tests=r"""
from solution import Span


def test_walk_once():
    assert list(Span(2, 5)) == [2, 3, 4]


def test_walk_twice():
    s = Span(0, 3)
    assert list(s) == [0, 1, 2]
    assert list(s) == [0, 1, 2]


def test_nested_loops_over_the_same_span():
    s = Span(0, 3)
    pairs = [(a, b) for a in s for b in s]
    assert len(pairs) == 9


def test_len():
    assert len(Span(2, 5)) == 3
    assert len(Span(5, 2)) == 0
    assert list(Span(5, 2)) == []
""",
)

add(
    "generators",
    "ten-thousand-squares",
    "A long generator",
    handout=r"""
    Write a generator function `squares(n)` that yields `i * i` for every `i` from 0 to
    `n - 1`. It will be asked for 10 000 values at once with `list()`.

    ```python
    >>> list(squares(5))
    [0, 1, 4, 9, 16]
    ```
    """,
    starter=r"""
    def squares(n):
        yield
    """,
    solution=r"""
    def squares(n):
        for i in range(n):
            yield i * i
    """,
    wrong=r"""
    def squares(n):
        for i in range(1, n):
            yield i * i
    """,
    tests=r"""
from solution import squares


def test_small():
    assert list(squares(5)) == [0, 1, 4, 9, 16]


def test_ten_thousand_values():
    values = list(squares(10_000))
    assert len(values) == 10_000
    assert values[-1] == 9_999 * 9_999
    assert sum(values) == sum(i * i for i in range(10_000))


def test_consumed_by_sum_directly():
    assert sum(squares(100)) == 328_350
""",
)

add(
    "generators",
    "chunks",
    "Cut a stream into chunks",
    handout=r"""
    Write a generator function `chunks(iterable, size)` that yields lists of `size`
    consecutive items from `iterable`; the last list may be shorter (but never empty). It must
    work on endless iterables too: read only what is needed for the next chunk.

    ```python
    >>> list(chunks("abcdefg", 3))
    [['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]
    ```
    """,
    starter=r"""
    def chunks(iterable, size):
        yield
    """,
    solution=r"""
    def chunks(iterable, size):
        chunk = []
        for item in iterable:
            chunk.append(item)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
    """,
    wrong=r"""
    def chunks(iterable, size):
        chunk = []
        for item in iterable:
            chunk.append(item)
            if len(chunk) == size:
                yield chunk
                chunk = []
    """,
    tests=r"""
import itertools

from solution import chunks


def test_last_chunk_is_shorter():
    assert list(chunks("abcdefg", 3)) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]


def test_exact_fit_has_no_empty_chunk():
    assert list(chunks(range(4), 2)) == [[0, 1], [2, 3]]


def test_empty_input():
    assert list(chunks([], 5)) == []


def test_endless_input():
    it = chunks(itertools.count(), 4)
    assert next(it) == [0, 1, 2, 3]
    assert next(it) == [4, 5, 6, 7]
    assert list(itertools.islice(it, 2)) == [[8, 9, 10, 11], [12, 13, 14, 15]]
""",
)

add(
    "generators",
    "running-average",
    "A generator you send values to",
    handout=r"""
    Write a generator function `running_average()` to be used with `send`: after it is
    started with `next()`, each `gen.send(x)` returns the average of all values sent so far,
    as a float.

    ```python
    >>> avg = running_average()
    >>> next(avg)
    >>> avg.send(10), avg.send(20), avg.send(3)
    (10.0, 15.0, 11.0)
    ```
    """,
    starter=r"""
    def running_average():
        total = 0
        count = 0
        average = None
        while True:
            value = yield average
    """,
    solution=r"""
    def running_average():
        total = 0
        count = 0
        average = None
        while True:
            value = yield average
            total += value
            count += 1
            average = total / count
    """,
    wrong=r"""
    def running_average():
        total = 0
        count = 0
        average = None
        while True:
            value = yield average
            total += value
            count += 1
            average = total // count
    """,
    tests=r"""
import pytest

from solution import running_average


def test_averages():
    avg = running_average()
    assert next(avg) is None
    assert avg.send(10) == pytest.approx(10.0)
    assert avg.send(20) == pytest.approx(15.0)
    assert avg.send(3) == pytest.approx(11.0)


def test_non_integer_average():
    avg = running_average()
    next(avg)
    avg.send(1)
    assert avg.send(2) == pytest.approx(1.5)


def test_close():
    avg = running_average()
    next(avg)
    avg.close()
    with pytest.raises(StopIteration):
        next(avg)
""",
)

add(
    "generators",
    "flatten-lazily",
    "Flatten nested lists lazily",
    handout=r"""
    Write a generator function `flatten(nested)` that yields, in order, every item of a list
    that may contain lists, which may contain lists, and so on (use `yield from`). Only `list`s
    are opened; strings and tuples are items.

    ```python
    >>> list(flatten([1, [2, [3, [4]], "ab"], (5, 6)]))
    [1, 2, 3, 4, 'ab', (5, 6)]
    ```
    """,
    starter=r"""
    def flatten(nested):
        yield
    """,
    solution=r"""
    def flatten(nested):
        for item in nested:
            if isinstance(item, list):
                yield from flatten(item)
            else:
                yield item
    """,
    wrong=r"""
    def flatten(nested):
        for item in nested:
            if isinstance(item, list):
                yield from item
            else:
                yield item
    """,
    tests=r"""
import itertools

from solution import flatten


def test_deeply_nested():
    assert list(flatten([1, [2, [3, [4]], "ab"], (5, 6)])) == [1, 2, 3, 4, "ab", (5, 6)]


def test_flat_list():
    assert list(flatten([1, 2, 3])) == [1, 2, 3]


def test_empty_lists_disappear():
    assert list(flatten([[], [[]], 1])) == [1]


def test_it_is_lazy():
    seen = []

    class Watched(list):
        def __iter__(self):
            for item in list.__iter__(self):
                seen.append(item)
                yield item

    it = flatten(Watched([1, Watched([2, 3]), 4]))
    assert next(it) == 1
    assert seen == [1]
    assert list(itertools.islice(it, 2)) == [2, 3]
""",
)

add(
    "generators",
    "unique-everseen",
    "Drop repeats, keep the order",
    handout=r"""
    Write a generator function `unique(iterable)` that yields every item the first time it
    appears and skips it afterwards (even when the repeats are not next to each other).
    Items are hashable. It must also work on an endless iterable: yield each new item as soon
    as it is seen.

    ```python
    >>> list(unique([3, 1, 3, 2, 1]))
    [3, 1, 2]
    ```
    """,
    starter=r"""
    def unique(iterable):
        yield
    """,
    solution=r"""
    def unique(iterable):
        seen = set()
        for item in iterable:
            if item not in seen:
                seen.add(item)
                yield item
    """,
    wrong=r"""
    def unique(iterable):
        previous = object()
        for item in iterable:
            if item != previous:
                yield item
            previous = item
    """,
    tests=r"""
import itertools

from solution import unique


def test_repeats_far_apart():
    assert list(unique([3, 1, 3, 2, 1])) == [3, 1, 2]


def test_strings():
    assert "".join(unique("mississippi")) == "misp"


def test_endless_input():
    it = unique(itertools.cycle([1, 2, 2, 3]))
    assert list(itertools.islice(it, 3)) == [1, 2, 3]
""",
)

# ---------------------------------------------------------------------------------------------
# 6. standard-library values returned by the student (or passed in by the test)

add(
    "stdlib-values",
    "word-counter",
    "Count words with Counter",
    handout=r"""
    Write `count_words(text)` that returns a `collections.Counter` of the words of `text`,
    lower-cased. Words are separated by whitespace; ignore the punctuation `.,!?` at either end
    of a word.

    ```python
    >>> count_words("The cat saw the dog. THE END!")
    Counter({'the': 3, 'cat': 1, 'saw': 1, 'dog': 1, 'end': 1})
    ```
    """,
    starter=r"""
    from collections import Counter


    def count_words(text):
        pass
    """,
    solution=r"""
    from collections import Counter


    def count_words(text):
        words = (word.strip(".,!?").lower() for word in text.split())
        return Counter(word for word in words if word)
    """,
    wrong=r"""
    from collections import Counter


    def count_words(text):
        words = (word.strip(".,!?") for word in text.split())
        return Counter(word for word in words if word)
    """,
    tests=r"""
from collections import Counter

from solution import count_words


def test_returns_a_counter():
    result = count_words("a b a")
    assert isinstance(result, Counter)
    assert result == Counter({"a": 2, "b": 1})


def test_compares_with_a_plain_dict():
    assert count_words("The cat saw the dog. THE END!") == {
        "the": 3, "cat": 1, "saw": 1, "dog": 1, "end": 1
    }


def test_counter_methods_work_on_the_result():
    result = count_words("x y x z x y")
    assert result.most_common(2) == [("x", 3), ("y", 2)]
    assert result["missing"] == 0
    assert result.total() == 6


def test_empty_text():
    assert count_words("") == Counter()
""",
)

add(
    "stdlib-values",
    "group-by-length",
    "Group words with defaultdict(list)",
    handout=r"""
    Write `group_by_length(words)` that returns a `collections.defaultdict(list)` mapping each
    word length to the list of words of that length, in their original order. Because it is a
    `defaultdict(list)`, looking up a length that has no words gives `[]`.

    ```python
    >>> groups = group_by_length(["hi", "cat", "ox", "dog"])
    >>> groups[2], groups[3], groups[7]
    (['hi', 'ox'], ['cat', 'dog'], [])
    ```
    """,
    starter=r"""
    from collections import defaultdict


    def group_by_length(words):
        pass
    """,
    solution=r"""
    from collections import defaultdict


    def group_by_length(words):
        groups = defaultdict(list)
        for word in words:
            groups[len(word)].append(word)
        return groups
    """,
    wrong=r"""
    def group_by_length(words):
        groups = {}
        for word in words:
            groups.setdefault(len(word), []).append(word)
        return groups
    """,
    tests=r"""
from collections import defaultdict

from solution import group_by_length


def test_groups():
    groups = group_by_length(["hi", "cat", "ox", "dog"])
    assert groups == {2: ["hi", "ox"], 3: ["cat", "dog"]}


def test_is_a_defaultdict_of_lists():
    groups = group_by_length(["a"])
    assert isinstance(groups, defaultdict)
    assert groups.default_factory is list


def test_missing_length_gives_an_empty_list():
    groups = group_by_length(["hi"])
    assert groups[9] == []
    assert 9 in groups
    groups[9].append("elephant")
    assert groups[9] == ["elephant"]


def test_no_words():
    assert group_by_length([]) == {}
""",
)

add(
    "stdlib-values",
    "letter-tally",
    "Tally letters with defaultdict(int)",
    handout=r"""
    Write `tally(text)` that returns a `collections.defaultdict(int)` counting the letters of
    `text` (only letters, with `str.isalpha`), case-insensitively (count lower-case letters).

    ```python
    >>> t = tally("Abba!")
    >>> dict(t), t["z"]
    ({'a': 2, 'b': 2}, 0)
    ```
    """,
    starter=r"""
    from collections import defaultdict


    def tally(text):
        pass
    """,
    solution=r"""
    from collections import defaultdict


    def tally(text):
        counts = defaultdict(int)
        for ch in text:
            if ch.isalpha():
                counts[ch.lower()] += 1
        return counts
    """,
    wrong=r"""
    from collections import defaultdict


    def tally(text):
        counts = defaultdict(int)
        for ch in text:
            if ch.isalpha():
                counts[ch] += 1
        return counts
    """,
    tests=r"""
from collections import defaultdict

from solution import tally


def test_counts_ignore_case_and_punctuation():
    assert tally("Abba!") == {"a": 2, "b": 2}


def test_default_is_zero():
    t = tally("xyz")
    assert isinstance(t, defaultdict)
    assert t.default_factory is int
    assert t["q"] == 0


def test_sorted_items():
    assert sorted(tally("Hello, World").items()) == [
        ("d", 1), ("e", 1), ("h", 1), ("l", 3), ("o", 2), ("r", 1), ("w", 1)
    ]
""",
)

add(
    "stdlib-values",
    "recent-order",
    "Most recently used first, with OrderedDict",
    handout=r"""
    Write `usage(accesses)`: `accesses` is a list of names in the order they were used.
    Return a `collections.OrderedDict` mapping each name to how many times it was used,
    ordered from the **least** to the **most** recently used (use `move_to_end`).

    ```python
    >>> usage(["a", "b", "a", "c"])
    OrderedDict([('b', 1), ('a', 2), ('c', 1)])
    ```
    """,
    starter=r"""
    from collections import OrderedDict


    def usage(accesses):
        pass
    """,
    solution=r"""
    from collections import OrderedDict


    def usage(accesses):
        counts = OrderedDict()
        for name in accesses:
            counts[name] = counts.get(name, 0) + 1
            counts.move_to_end(name)
        return counts
    """,
    wrong=r"""
    from collections import OrderedDict


    def usage(accesses):
        counts = OrderedDict()
        for name in accesses:
            counts[name] = counts.get(name, 0) + 1
        return counts
    """,
    tests=r"""
from collections import OrderedDict

from solution import usage


def test_order_is_by_last_use():
    result = usage(["a", "b", "a", "c"])
    assert list(result) == ["b", "a", "c"]


def test_ordered_comparison_with_an_ordered_dict():
    assert usage(["x", "y", "x"]) == OrderedDict([("y", 1), ("x", 2)])
    assert usage(["x", "y", "x"]) != OrderedDict([("x", 2), ("y", 1)])


def test_type_and_methods():
    result = usage(["p", "q"])
    assert isinstance(result, OrderedDict)
    assert result.popitem(last=False) == ("p", 1)
""",
)

add(
    "stdlib-values",
    "last-n",
    "Keep the last few items in a deque",
    handout=r"""
    Write `last_n(items, n)` that returns a `collections.deque` with a `maxlen` of `n` holding
    the last `n` items of the iterable `items` (fewer if there are not so many).

    ```python
    >>> last_n(range(10), 3)
    deque([7, 8, 9], maxlen=3)
    ```
    """,
    starter=r"""
    from collections import deque


    def last_n(items, n):
        pass
    """,
    solution=r"""
    from collections import deque


    def last_n(items, n):
        return deque(items, maxlen=n)
    """,
    wrong=r"""
    from collections import deque


    def last_n(items, n):
        return deque(list(items)[-n:])
    """,
    tests=r"""
from collections import deque

from solution import last_n


def test_last_three():
    result = last_n(range(10), 3)
    assert result == deque([7, 8, 9])
    assert list(result) == [7, 8, 9]


def test_maxlen_is_kept():
    result = last_n("abcdef", 2)
    assert result.maxlen == 2
    result.append("g")
    assert result == deque(["f", "g"])


def test_short_input():
    assert last_n([1], 5) == deque([1])
    assert last_n([1], 5).maxlen == 5
""",
)

add(
    "stdlib-values",
    "serve-queue",
    "Serve a deque the test passes in",
    handout=r"""
    Write `serve(queue, k)`: `queue` is a `collections.deque` of customer names, the front on
    the left. Take up to `k` customers from the **front** (removing them from the deque) and
    return their names as a list, in the order served. The rest stay in `queue`.

    ```python
    >>> from collections import deque
    >>> q = deque(["ann", "ben", "cy"])
    >>> serve(q, 2), q
    (['ann', 'ben'], deque(['cy']))
    ```
    """,
    starter=r"""
    def serve(queue, k):
        pass
    """,
    solution=r"""
    def serve(queue, k):
        served = []
        while queue and len(served) < k:
            served.append(queue.popleft())
        return served
    """,
    wrong=r"""
    def serve(queue, k):
        served = []
        while queue and len(served) < k:
            served.append(queue.pop())
        return served
    """,
    tests=r"""
from collections import deque

from solution import serve


def test_serves_from_the_front():
    q = deque(["ann", "ben", "cy"])
    assert serve(q, 2) == ["ann", "ben"]
    assert q == deque(["cy"])


def test_serving_more_than_waiting():
    q = deque(["ann"])
    assert serve(q, 5) == ["ann"]
    assert len(q) == 0


def test_the_same_deque_is_used():
    q = deque(range(5), maxlen=5)
    serve(q, 1)
    q.append(5)
    assert list(q) == [1, 2, 3, 4, 5]
""",
)

add(
    "stdlib-values",
    "midpoint",
    "Points as named tuples",
    handout=r"""
    Define `Point = collections.namedtuple("Point", "x y")` and write `midpoint(p, q)` that
    returns the `Point` halfway between the points `p` and `q` (ordinary division, so
    coordinates may be floats). A `Point` is a tuple, so `Point(1, 2) == (1, 2)`.

    ```python
    >>> m = midpoint(Point(0, 0), Point(2, 4))
    >>> m, m.x, m == (1, 2)
    (Point(x=1.0, y=2.0), 1.0, True)
    ```
    """,
    starter=r"""
    from collections import namedtuple

    Point = namedtuple("Point", "x y")


    def midpoint(p, q):
        pass
    """,
    solution=r"""
    from collections import namedtuple

    Point = namedtuple("Point", "x y")


    def midpoint(p, q):
        return Point((p.x + q.x) / 2, (p.y + q.y) / 2)
    """,
    wrong=r"""
    from collections import namedtuple

    Point = namedtuple("Point", "x y")


    def midpoint(p, q):
        return Point((p.x + q.x) // 2, (p.y + q.y) // 2)
    """,
    tests=r"""
import solution


def test_fields_and_tuple_equality():
    m = solution.midpoint(solution.Point(0, 0), solution.Point(2, 4))
    assert m.x == 1
    assert m.y == 2
    assert m == (1, 2)
    assert tuple(m) == (1.0, 2.0)


def test_halves():
    m = solution.midpoint(solution.Point(0, 0), solution.Point(1, 3))
    assert m == (0.5, 1.5)


def test_is_a_point_and_a_tuple():
    m = solution.midpoint(solution.Point(1, 1), solution.Point(3, 3))
    assert isinstance(m, tuple)
    assert isinstance(m, solution.Point)
    assert m._asdict() == {"x": 2, "y": 2}
    x, y = m
    assert (x, y) == (2, 2)


def test_plain_tuples_work_as_points():
    Point = solution.Point
    assert solution.midpoint(Point._make((2, 2)), Point(4, 6)) == (3, 4)
""",
)

add(
    "stdlib-values",
    "harmonic",
    "Exact sums with Fraction",
    handout=r"""
    Write `harmonic(n)` that returns the exact sum 1/1 + 1/2 + ... + 1/n as a
    `fractions.Fraction` (`harmonic(0)` is `Fraction(0)`). Floats would round: use `Fraction`
    all the way.

    ```python
    >>> harmonic(4)
    Fraction(25, 12)
    ```
    """,
    starter=r"""
    from fractions import Fraction


    def harmonic(n):
        pass
    """,
    solution=r"""
    from fractions import Fraction


    def harmonic(n):
        return sum((Fraction(1, k) for k in range(1, n + 1)), Fraction(0))
    """,
    wrong=r"""
    from fractions import Fraction


    def harmonic(n):
        return Fraction(sum(1 / k for k in range(1, n + 1)))
    """,
    tests=r"""
from fractions import Fraction

import pytest

from solution import harmonic


def test_small_sums():
    assert harmonic(1) == Fraction(1)
    assert harmonic(4) == Fraction(25, 12)
    assert harmonic(0) == 0


def test_parts_of_the_fraction():
    h = harmonic(10)
    assert isinstance(h, Fraction)
    assert (h.numerator, h.denominator) == (7381, 2520)


def test_close_to_the_float():
    assert float(harmonic(100)) == pytest.approx(5.187377517639621)


def test_in_a_list():
    assert [harmonic(k) for k in range(1, 4)] == [Fraction(1), Fraction(3, 2), Fraction(11, 6)]
""",
)

add(
    "stdlib-values",
    "money",
    "Money with Decimal",
    handout=r"""
    Write `total_with_tax(prices, rate)`: `prices` is a list of strings such as `"9.99"` and
    `rate` a string such as `"0.07"`. Return the total of the prices plus the tax on it, as a
    `decimal.Decimal` rounded to cents with `ROUND_HALF_UP` (so 2.125 becomes 2.13). Do not go
    through `float`.

    ```python
    >>> total_with_tax(["10.00"], "0.07")
    Decimal('10.70')
    ```
    """,
    starter=r"""
    from decimal import ROUND_HALF_UP, Decimal


    def total_with_tax(prices, rate):
        pass
    """,
    solution=r"""
    from decimal import ROUND_HALF_UP, Decimal


    def total_with_tax(prices, rate):
        subtotal = sum((Decimal(p) for p in prices), Decimal("0"))
        total = subtotal * (1 + Decimal(rate))
        return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    """,
    wrong=r"""
    from decimal import Decimal


    def total_with_tax(prices, rate):
        subtotal = sum((Decimal(p) for p in prices), Decimal("0"))
        total = subtotal * (1 + Decimal(rate))
        return total.quantize(Decimal("0.01"))
    """,
    tests=r"""
from decimal import Decimal

from solution import total_with_tax


def test_simple_total():
    result = total_with_tax(["10.00"], "0.07")
    assert result == Decimal("10.70")
    assert str(result) == "10.70"
    assert isinstance(result, Decimal)


def test_half_cent_rounds_up():
    assert total_with_tax(["2.125"], "0") == Decimal("2.13")
    assert total_with_tax(["0.10", "0.20"], "0.125") == Decimal("0.34")


def test_no_float_error():
    assert total_with_tax(["0.10"] * 3, "0") == Decimal("0.30")


def test_results_in_a_dict():
    totals = {name: total_with_tax(p, "0.5") for name, p in {"a": ["1"], "b": ["3"]}.items()}
    assert totals == {"a": Decimal("1.50"), "b": Decimal("4.50")}
""",
)

add(
    "stdlib-values",
    "business-days",
    "Dates: add working days",
    handout=r"""
    Write `add_business_days(start, n)`: `start` is a `datetime.date`; return the date `n`
    working days later, skipping Saturdays and Sundays (if `start` is at a weekend, counting
    starts from there as usual). Also write `days_between(a, b)` that returns the
    `datetime.timedelta` from date `a` to date `b`.

    ```python
    >>> from datetime import date
    >>> add_business_days(date(2024, 3, 1), 1)    # a Friday
    datetime.date(2024, 3, 4)
    >>> days_between(date(2024, 3, 1), date(2024, 3, 4))
    datetime.timedelta(days=3)
    ```
    """,
    starter=r"""
    from datetime import date, timedelta


    def add_business_days(start, n):
        pass


    def days_between(a, b):
        pass
    """,
    solution=r"""
    from datetime import date, timedelta


    def add_business_days(start, n):
        day = start
        while n > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day


    def days_between(a, b):
        return b - a
    """,
    wrong=r"""
    from datetime import date, timedelta


    def add_business_days(start, n):
        day = start + timedelta(days=n)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day


    def days_between(a, b):
        return b - a
    """,
    tests=r"""
from datetime import date, timedelta

from solution import add_business_days, days_between


def test_friday_plus_one_is_monday():
    assert add_business_days(date(2024, 3, 1), 1) == date(2024, 3, 4)


def test_across_a_weekend():
    result = add_business_days(date(2024, 3, 1), 5)
    assert result == date(2024, 3, 8)
    assert isinstance(result, date)
    assert result.weekday() == 4


def test_zero_days():
    assert add_business_days(date(2024, 2, 29), 0) == date(2024, 2, 29)


def test_timedelta_between_dates():
    gap = days_between(date(2024, 3, 1), date(2024, 3, 4))
    assert gap == timedelta(days=3)
    assert gap.days == 3
    assert days_between(date(2024, 1, 1), date(2025, 1, 1)) == timedelta(366)
""",
)

add(
    "stdlib-values",
    "shift-length",
    "Datetimes and durations",
    handout=r"""
    Write `parse_time(text)` that turns `"YYYY-MM-DD HH:MM"` into a `datetime.datetime`, and
    `shift_lengths(shifts)`: `shifts` is a list of `(start, end)` text pairs; return a list of
    the `datetime.timedelta` of each shift (end minus start) and, as a second value, their
    total.

    ```python
    >>> shift_lengths([("2024-05-01 09:00", "2024-05-01 17:30")])
    ([datetime.timedelta(seconds=30600)], datetime.timedelta(seconds=30600))
    ```
    """,
    starter=r"""
    from datetime import datetime, timedelta


    def parse_time(text):
        pass


    def shift_lengths(shifts):
        pass
    """,
    solution=r"""
    from datetime import datetime, timedelta


    def parse_time(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M")


    def shift_lengths(shifts):
        lengths = [parse_time(end) - parse_time(start) for start, end in shifts]
        return lengths, sum(lengths, timedelta())
    """,
    wrong=r"""
    from datetime import datetime, timedelta


    def parse_time(text):
        return datetime.strptime(text, "%Y-%m-%d %H:%M")


    def shift_lengths(shifts):
        lengths = [parse_time(start) - parse_time(end) for start, end in shifts]
        return lengths, sum(lengths, timedelta())
    """,
    tests=r"""
from datetime import datetime, timedelta

from solution import parse_time, shift_lengths


def test_parse():
    assert parse_time("2024-05-01 09:30") == datetime(2024, 5, 1, 9, 30)


def test_lengths_and_total():
    lengths, total = shift_lengths(
        [("2024-05-01 09:00", "2024-05-01 17:30"), ("2024-05-02 22:00", "2024-05-03 06:00")]
    )
    assert lengths == [timedelta(hours=8, minutes=30), timedelta(hours=8)]
    assert total == timedelta(hours=16, minutes=30)
    assert total.total_seconds() == 59_400


def test_no_shifts():
    assert shift_lengths([]) == ([], timedelta(0))
""",
)

add(
    "stdlib-values",
    "even-range",
    "Return a range",
    handout=r"""
    Write `evens_between(start, stop)` that returns a `range` object (not a list) of the even
    numbers `n` with `start <= n < stop`.

    ```python
    >>> evens_between(3, 10)
    range(4, 10, 2)
    >>> list(evens_between(3, 10))
    [4, 6, 8]
    ```
    """,
    starter=r"""
    def evens_between(start, stop):
        pass
    """,
    solution=r"""
    def evens_between(start, stop):
        first = start if start % 2 == 0 else start + 1
        return range(first, stop, 2)
    """,
    wrong=r"""
    def evens_between(start, stop):
        return range(start, stop, 2)
    """,
    tests=r"""
from solution import evens_between


def test_even_start():
    r = evens_between(2, 10)
    assert r == range(2, 10, 2)
    assert isinstance(r, range)


def test_odd_start():
    r = evens_between(3, 10)
    assert r == range(4, 10, 2)
    assert list(r) == [4, 6, 8]


def test_range_behaviour():
    r = evens_between(0, 1_000_000)
    assert len(r) == 500_000
    assert r[-1] == 999_998
    assert 123_456 in r
    assert 7 not in r


def test_empty():
    assert len(evens_between(5, 5)) == 0
""",
)

add(
    "stdlib-values",
    "http-status",
    "Standard-library enums: HTTPStatus",
    handout=r"""
    Write `status_of(code)` that returns the `http.HTTPStatus` member for the integer `code`,
    and `failures(statuses)`: given a list of `HTTPStatus` members, return a dict mapping
    `"client"` and `"server"` to the lists of members that are client errors (4xx) and server
    errors (5xx), in order.

    ```python
    >>> from http import HTTPStatus
    >>> status_of(404)
    <HTTPStatus.NOT_FOUND: 404>
    >>> failures([HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.BAD_GATEWAY])
    {'client': [<HTTPStatus.NOT_FOUND: 404>], 'server': [<HTTPStatus.BAD_GATEWAY: 502>]}
    ```
    """,
    starter=r"""
    from http import HTTPStatus


    def status_of(code):
        pass


    def failures(statuses):
        pass
    """,
    solution=r"""
    from http import HTTPStatus


    def status_of(code):
        return HTTPStatus(code)


    def failures(statuses):
        return {
            "client": [s for s in statuses if 400 <= s < 500],
            "server": [s for s in statuses if 500 <= s < 600],
        }
    """,
    wrong=r"""
    from http import HTTPStatus


    def status_of(code):
        return HTTPStatus(code)


    def failures(statuses):
        return {
            "client": [s for s in statuses if 400 <= s <= 500],
            "server": [s for s in statuses if 500 < s < 600],
        }
    """,
    tests=r"""
from http import HTTPStatus

from solution import failures, status_of


def test_member_for_a_code():
    status = status_of(404)
    assert status is HTTPStatus.NOT_FOUND
    assert status == 404
    assert status.phrase == "Not Found"
    assert isinstance(status, HTTPStatus)


def test_failures_grouped():
    got = failures([HTTPStatus.OK, HTTPStatus.NOT_FOUND, HTTPStatus.BAD_GATEWAY,
                    HTTPStatus.INTERNAL_SERVER_ERROR, HTTPStatus.IM_A_TEAPOT])
    assert got == {
        "client": [HTTPStatus.NOT_FOUND, HTTPStatus.IM_A_TEAPOT],
        "server": [HTTPStatus.BAD_GATEWAY, HTTPStatus.INTERNAL_SERVER_ERROR],
    }
    assert got["server"][0] is HTTPStatus.BAD_GATEWAY


def test_members_are_compared_as_themselves():
    got = failures([status_of(500), status_of(201)])
    assert got["server"] == [HTTPStatus.INTERNAL_SERVER_ERROR]
    assert got["client"] == []
    assert [s.value for s in got["server"]] == [500]
""",
)

add(
    "stdlib-values",
    "flags-and-weekdays",
    "Standard-library enums: re flags and weekdays",
    handout=r"""
    Write `regex_flags(letters)` that turns a string of flag letters into a combined
    `re.RegexFlag`: `"i"` is `re.IGNORECASE`, `"m"` is `re.MULTILINE`, `"s"` is `re.DOTALL`
    (no letters: `re.NOFLAG`). Write also `first_weekday(year, month)` that returns the
    weekday of the 1st of the month as the `calendar` constant (`calendar.MONDAY` is 0 ...
    `calendar.SUNDAY` is 6), and `weekday_name(day)` for such a constant (`"Monday"`...).

    ```python
    >>> regex_flags("im") == re.IGNORECASE | re.MULTILINE
    True
    >>> first_weekday(2024, 5) == calendar.WEDNESDAY
    True
    ```
    """,
    starter=r"""
    import calendar
    import re


    def regex_flags(letters):
        pass


    def first_weekday(year, month):
        pass


    def weekday_name(day):
        pass
    """,
    solution=r"""
    import calendar
    import re

    FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


    def regex_flags(letters):
        flags = re.NOFLAG
        for letter in letters:
            flags |= FLAGS[letter]
        return flags


    def first_weekday(year, month):
        return calendar.weekday(year, month, 1)


    def weekday_name(day):
        return calendar.day_name[day]
    """,
    wrong=r"""
    import calendar
    import re

    FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}


    def regex_flags(letters):
        flags = re.NOFLAG
        for letter in letters:
            flags |= FLAGS[letter]
        return flags


    def first_weekday(year, month):
        return calendar.monthrange(year, month)[0] + 1


    def weekday_name(day):
        return calendar.day_name[day]
    """,
    tests=r"""
import calendar
import re

from solution import first_weekday, regex_flags, weekday_name


def test_combined_flags():
    flags = regex_flags("im")
    assert flags == re.IGNORECASE | re.MULTILINE
    assert isinstance(flags, re.RegexFlag)
    assert flags & re.IGNORECASE
    assert not flags & re.DOTALL


def test_flags_work_with_re():
    assert re.findall("^a.", "Ab\nax", regex_flags("im")) == ["Ab", "ax"]
    assert regex_flags("") == re.NOFLAG


def test_first_weekday():
    assert first_weekday(2024, 5) == calendar.WEDNESDAY
    assert first_weekday(2024, 9) == calendar.SUNDAY
    assert [first_weekday(2023, m) for m in (1, 5)] == [calendar.SUNDAY, calendar.MONDAY]


def test_weekday_name():
    assert weekday_name(calendar.FRIDAY) == "Friday"
""",
)

add(
    "stdlib-values",
    "order-summary",
    "Standard-library values nested in a dict",
    handout=r"""
    Write `summarize(orders)`: each order is a tuple `(day, item, price)` with a
    `datetime.date`, a string and a price string such as `"2.50"`. Return a dict with:

    - `"items"`: a `collections.Counter` of the items;
    - `"by_day"`: a `collections.defaultdict(list)` mapping each date to its prices as
      `decimal.Decimal`s, in order;
    - `"total"`: the `Decimal` sum of all prices;
    - `"span"`: the `datetime.timedelta` from the earliest to the latest day.

    ```python
    >>> from datetime import date
    >>> s = summarize([(date(2024, 1, 2), "tea", "2.50"), (date(2024, 1, 5), "tea", "3.00")])
    >>> s["items"], s["total"], s["span"]
    (Counter({'tea': 2}), Decimal('5.50'), datetime.timedelta(days=3))
    ```
    """,
    starter=r"""
    from collections import Counter, defaultdict
    from decimal import Decimal


    def summarize(orders):
        pass
    """,
    solution=r"""
    from collections import Counter, defaultdict
    from decimal import Decimal


    def summarize(orders):
        by_day = defaultdict(list)
        for day, _, price in orders:
            by_day[day].append(Decimal(price))
        days = [day for day, _, _ in orders]
        return {
            "items": Counter(item for _, item, _ in orders),
            "by_day": by_day,
            "total": sum((p for prices in by_day.values() for p in prices), Decimal("0")),
            "span": max(days) - min(days),
        }
    """,
    wrong=r"""
    from collections import Counter, defaultdict
    from decimal import Decimal


    def summarize(orders):
        by_day = defaultdict(list)
        for day, _, price in orders:
            by_day[day].append(Decimal(price))
        days = [day for day, _, _ in orders]
        return {
            "items": Counter(item for _, item, _ in orders),
            "by_day": by_day,
            "total": sum((p for prices in by_day.values() for p in prices), Decimal("0")),
            "span": days[-1] - days[0],
        }
    """,
    tests=r"""
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from solution import summarize

ORDERS = [
    (date(2024, 1, 5), "tea", "3.00"),
    (date(2024, 1, 2), "tea", "2.50"),
    (date(2024, 1, 2), "cake", "4.25"),
]


def test_whole_summary():
    assert summarize(ORDERS) == {
        "items": Counter({"tea": 2, "cake": 1}),
        "by_day": {
            date(2024, 1, 5): [Decimal("3.00")],
            date(2024, 1, 2): [Decimal("2.50"), Decimal("4.25")],
        },
        "total": Decimal("9.75"),
        "span": timedelta(days=3),
    }


def test_types_inside():
    s = summarize(ORDERS)
    assert isinstance(s["items"], Counter)
    assert isinstance(s["by_day"], defaultdict)
    assert s["by_day"][date(2000, 1, 1)] == []
    assert isinstance(s["total"], Decimal)
    assert str(s["total"]) == "9.75"
    assert s["span"].days == 3
""",
)

add(
    "stdlib-values",
    "merge-counters",
    "Merge Counters without changing them",
    handout=r"""
    Write `merge(a, b)` that returns a **new** `collections.Counter` with the counts of the
    Counters `a` and `b` added up, leaving `a` and `b` unchanged. Counts that add up to zero or
    less are dropped.

    ```python
    >>> merge(Counter(x=2, y=1), Counter(x=1, z=-1))
    Counter({'x': 3, 'y': 1})
    ```
    """,
    starter=r"""
    from collections import Counter


    def merge(a, b):
        pass
    """,
    solution=r"""
    from collections import Counter


    def merge(a, b):
        return a + b
    """,
    wrong=r"""
    from collections import Counter


    def merge(a, b):
        a.update(b)
        return +a
    """,
    tests=r"""
from collections import Counter

from solution import merge


def test_counts_are_added():
    assert merge(Counter(x=2, y=1), Counter(x=1, z=-1)) == Counter({"x": 3, "y": 1})


def test_inputs_are_unchanged():
    a, b = Counter("aab"), Counter("bc")
    result = merge(a, b)
    assert result == Counter({"a": 2, "b": 2, "c": 1})
    assert a == Counter({"a": 2, "b": 1})
    assert b == Counter({"b": 1, "c": 1})
    assert result is not a


def test_result_is_a_counter():
    result = merge(Counter(), Counter(k=1))
    assert isinstance(result, Counter)
    assert result["nothing"] == 0
""",
)

# ---------------------------------------------------------------------------------------------
# 7. types, builtins, the test's classes and functions passed as arguments

add(
    "callables",
    "only-of-type",
    "Keep the items of a type",
    handout=r"""
    Write `only(items, kind)` that returns the list of the items that are instances of `kind`
    (use `isinstance`, so subclasses count: `True` is an `int`). `kind` can be any class, or
    a tuple of classes as `isinstance` allows.

    ```python
    >>> only([1, "a", 2.5, True, [3]], int)
    [1, True]
    >>> only([1, "a", 2.5], (int, float))
    [1, 2.5]
    ```
    """,
    starter=r"""
    def only(items, kind):
        pass
    """,
    solution=r"""
    def only(items, kind):
        return [item for item in items if isinstance(item, kind)]
    """,
    wrong=r"""
    def only(items, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        return [item for item in items if type(item) in kinds]
    """,
    tests=r"""
from solution import only


class Animal:
    def __init__(self, name):
        self.name = name


class Dog(Animal):
    pass


MIXED = [1, "a", 2.5, True, [3], None, "b"]


def test_builtin_types():
    assert only(MIXED, str) == ["a", "b"]
    assert only(MIXED, list) == [[3]]
    assert only(MIXED, type(None)) == [None]


def test_subclasses_count():
    assert only(MIXED, int) == [1, True]


def test_tuple_of_types():
    assert only(MIXED, (int, float)) == [1, 2.5, True]


def test_the_test_own_classes():
    rex, cat = Dog("rex"), Animal("cat")
    found = only([rex, 3, cat], Animal)
    assert len(found) == 2
    assert found[0] is rex and found[1] is cat
    assert only([rex, cat], Dog)[0].name == "rex"
""",
)

add(
    "callables",
    "sort-by-key",
    "Sort with a key function",
    handout=r"""
    Write `sorted_by(items, key=None, reverse=False)` that returns a **new** sorted list of
    `items` (the original list is left as it was), ordered by `key(item)` when a key function
    is given. Equal keys keep their original order.

    ```python
    >>> sorted_by(["bb", "a", "ccc"], key=len)
    ['a', 'bb', 'ccc']
    >>> sorted_by(["b", "A", "c"], key=str.lower)
    ['A', 'b', 'c']
    ```
    """,
    starter=r"""
    def sorted_by(items, key=None, reverse=False):
        pass
    """,
    solution=r"""
    def sorted_by(items, key=None, reverse=False):
        return sorted(items, key=key, reverse=reverse)
    """,
    wrong=r"""
    def sorted_by(items, key=None, reverse=False):
        items.sort(key=key, reverse=reverse)
        return items
    """,
    tests=r"""
import operator

from solution import sorted_by


def test_builtin_len_as_key():
    assert sorted_by(["bb", "a", "ccc"], key=len) == ["a", "bb", "ccc"]


def test_unbound_method_as_key():
    assert sorted_by(["b", "A", "c"], key=str.lower) == ["A", "b", "c"]


def test_lambda_and_reverse():
    people = [("ann", 31), ("bob", 25), ("cy", 31)]
    assert sorted_by(people, key=lambda p: p[1], reverse=True) == [
        ("ann", 31), ("cy", 31), ("bob", 25)
    ]


def test_itemgetter_and_stability():
    rows = [{"n": 2, "t": "x"}, {"n": 1, "t": "y"}, {"n": 2, "t": "z"}]
    assert [r["t"] for r in sorted_by(rows, key=operator.itemgetter("n"))] == ["y", "x", "z"]


def test_original_is_unchanged():
    words = ["pear", "fig", "apple"]
    result = sorted_by(words)
    assert result == ["apple", "fig", "pear"]
    assert words == ["pear", "fig", "apple"]
    assert result is not words
""",
)

add(
    "callables",
    "best-by",
    "The best item by a key",
    handout=r"""
    Write `best(items, key)` that returns the item with the largest `key(item)`; on a tie the
    **first** such item wins. An empty `items` raises `ValueError("no items")`.

    ```python
    >>> best(["kiwi", "banana", "cherry"], len)
    'banana'
    >>> best([("a", 3), ("b", 5)], operator.itemgetter(1))
    ('b', 5)
    ```
    """,
    starter=r"""
    def best(items, key):
        pass
    """,
    solution=r"""
    def best(items, key):
        winner = None
        winner_key = None
        for item in items:
            k = key(item)
            if winner_key is None or k > winner_key:
                winner, winner_key = item, k
        if winner_key is None:
            raise ValueError("no items")
        return winner
    """,
    wrong=r"""
    def best(items, key):
        winner = None
        winner_key = None
        for item in items:
            k = key(item)
            if winner_key is None or k >= winner_key:
                winner, winner_key = item, k
        if winner_key is None:
            raise ValueError("no items")
        return winner
    """,
    tests=r"""
import operator

import pytest

from solution import best


def test_len_with_a_tie_takes_the_first():
    assert best(["kiwi", "banana", "cherry"], len) == "banana"


def test_itemgetter():
    assert best([("a", 3), ("b", 5), ("c", 5)], operator.itemgetter(1)) == ("b", 5)


def test_lambda_and_test_objects():
    class Player:
        def __init__(self, name, score):
            self.name = name
            self.score = score

    players = [Player("x", 3), Player("y", 9), Player("z", 1)]
    winner = best(players, lambda p: p.score)
    assert winner is players[1]


def test_builtin_abs_as_key():
    assert best([-7, 3, 7], abs) == -7


def test_empty():
    with pytest.raises(ValueError, match="no items"):
        best([], len)
""",
)

add(
    "callables",
    "callbacks",
    "Call back for each item",
    handout=r"""
    Write `for_each(items, callback)` that calls `callback(index, item)` for every item, in
    order, and returns how many calls it made. Write also `notify(listeners, message)` that
    calls every function in the list `listeners` with `message`, and returns the list of what
    they returned.

    ```python
    >>> seen = []
    >>> for_each("ab", lambda i, x: seen.append((i, x)))
    2
    >>> seen
    [(0, 'a'), (1, 'b')]
    ```
    """,
    starter=r"""
    def for_each(items, callback):
        pass


    def notify(listeners, message):
        pass
    """,
    solution=r"""
    def for_each(items, callback):
        count = 0
        for index, item in enumerate(items):
            callback(index, item)
            count += 1
        return count


    def notify(listeners, message):
        return [listener(message) for listener in listeners]
    """,
    wrong=r"""
    def for_each(items, callback):
        count = 0
        for index, item in enumerate(items):
            callback(item, index)
            count += 1
        return count


    def notify(listeners, message):
        return [listener(message) for listener in listeners]
    """,
    tests=r"""
from solution import for_each, notify


def test_callback_gets_index_and_item():
    seen = []
    assert for_each(["a", "b", "c"], lambda i, x: seen.append((i, x))) == 3
    assert seen == [(0, "a"), (1, "b"), (2, "c")]


def test_callback_defined_in_the_test():
    totals = {"sum": 0}

    def add(index, item):
        totals["sum"] += index * item

    for_each([5, 5, 5], add)
    assert totals["sum"] == 15


def test_bound_method_as_callback():
    class Recorder:
        def __init__(self):
            self.calls = []

        def record(self, index, item):
            self.calls.append(item)

    rec = Recorder()
    for_each(range(3), rec.record)
    assert rec.calls == [0, 1, 2]


def test_notify_calls_every_listener():
    log = []
    listeners = [log.append, str.upper, len]
    assert notify(listeners, "hi") == [None, "HI", 2]
    assert log == ["hi"]
""",
)

add(
    "callables",
    "make-instances",
    "Instantiate the class you are given",
    handout=r"""
    Write `create_all(cls, names)` that returns a list with one new instance of the class
    `cls` for every name, made as `cls(name)`, in the order of `names`. Write also
    `create_pairs(cls, pairs)` that makes `cls(a, b)` for every `(a, b)` in `pairs`.

    ```python
    >>> class Pet:
    ...     def __init__(self, name): self.name = name
    >>> [p.name for p in create_all(Pet, ["rex", "tom"])]
    ['rex', 'tom']
    ```
    """,
    starter=r"""
    def create_all(cls, names):
        pass


    def create_pairs(cls, pairs):
        pass
    """,
    solution=r"""
    def create_all(cls, names):
        return [cls(name) for name in names]


    def create_pairs(cls, pairs):
        return [cls(a, b) for a, b in pairs]
    """,
    wrong=r"""
    def create_all(cls, names):
        return [cls(name) for name in sorted(names)]


    def create_pairs(cls, pairs):
        return [cls(a, b) for a, b in pairs]
    """,
    tests=r"""
from fractions import Fraction

from solution import create_all, create_pairs


class Animal:
    made = 0

    def __init__(self, name):
        Animal.made += 1
        self.name = name

    def speak(self):
        return f"{self.name} makes a sound"


def test_instances_of_the_test_class():
    Animal.made = 0
    animals = create_all(Animal, ["rex", "tom", "ada"])
    assert Animal.made == 3
    assert all(isinstance(a, Animal) for a in animals)
    assert [a.name for a in animals] == ["rex", "tom", "ada"]
    assert animals[1].speak() == "tom makes a sound"


def test_builtin_classes():
    assert create_all(int, ["3", "10"]) == [3, 10]
    assert create_all(list, ["ab"]) == [["a", "b"]]


def test_pairs():
    assert create_pairs(Fraction, [(1, 2), (2, 4)]) == [Fraction(1, 2), Fraction(1, 2)]
    assert create_pairs(range, [(0, 3)]) == [range(0, 3)]
""",
)

add(
    "callables",
    "my-map-filter",
    "Your own map and filter",
    handout=r"""
    Write `my_map(func, items)` that returns the list `[func(x) for x in items]` and
    `my_filter(pred, items)` that returns the list of the items for which `pred(item)` is true
    (truthy). Do not use the builtins `map` and `filter`. `func` and `pred` can be any callable:
    builtins, methods, lambdas, classes.

    ```python
    >>> my_map(abs, [-1, 2, -3])
    [1, 2, 3]
    >>> my_filter(str.isdigit, ["1", "a", "22"])
    ['1', '22']
    ```
    """,
    starter=r"""
    def my_map(func, items):
        pass


    def my_filter(pred, items):
        pass
    """,
    solution=r"""
    def my_map(func, items):
        return [func(x) for x in items]


    def my_filter(pred, items):
        return [x for x in items if pred(x)]
    """,
    wrong=r"""
    def my_map(func, items):
        return [func(x) for x in items]


    def my_filter(pred, items):
        return [x for x in items if pred(x) is True]
    """,
    tests=r"""
from solution import my_filter, my_map


class Box:
    def __init__(self, content):
        self.content = content


def test_map_with_builtins():
    assert my_map(abs, [-1, 2, -3]) == [1, 2, 3]
    assert my_map(str.upper, ["a", "b"]) == ["A", "B"]
    assert my_map(len, [[1, 2], ""]) == [2, 0]


def test_map_with_a_test_class():
    boxes = my_map(Box, [1, 2])
    assert [b.content for b in boxes] == [1, 2]
    assert isinstance(boxes[0], Box)


def test_filter_with_a_method():
    assert my_filter(str.isdigit, ["1", "a", "22"]) == ["1", "22"]


def test_filter_uses_truthiness():
    assert my_filter(len, ["", "x", [], [0]]) == ["x", [0]]
    assert my_filter(lambda n: n % 3, range(7)) == [1, 2, 4, 5]
""",
)

add(
    "callables",
    "compose",
    "Compose functions",
    handout=r"""
    Write `compose(*funcs)` that returns a new function of one argument applying the functions
    from **right to left**: `compose(f, g, h)(x)` is `f(g(h(x)))`. `compose()` with no
    functions returns a function that gives back its argument.

    ```python
    >>> compose(len, str.strip)("  hi  ")
    2
    >>> compose(str, lambda n: n * 2)(21)
    '42'
    ```
    """,
    starter=r"""
    def compose(*funcs):
        pass
    """,
    solution=r"""
    def compose(*funcs):
        def composed(x):
            for func in reversed(funcs):
                x = func(x)
            return x

        return composed
    """,
    wrong=r"""
    def compose(*funcs):
        def composed(x):
            for func in funcs:
                x = func(x)
            return x

        return composed
    """,
    tests=r"""
def test_builtins_and_methods():
    from solution import compose

    assert compose(len, str.strip)("  hi  ") == 2


def test_order_is_right_to_left():
    from solution import compose

    calls = []

    def tag(name):
        def step(x):
            calls.append(name)
            return x + name

        return step

    assert compose(tag("f"), tag("g"), tag("h"))("") == "hgf"
    assert calls == ["h", "g", "f"]


def test_lambdas():
    from solution import compose

    assert compose(str, lambda n: n * 2)(21) == "42"
    assert compose(lambda s: s + "!", str.upper)("ok") == "OK!"


def test_no_functions():
    from solution import compose

    marker = object()
    assert compose()(marker) is marker
""",
)

add(
    "callables",
    "dispatch",
    "Pick a handler by type",
    handout=r"""
    Write `describe(value, handlers)`: `handlers` is a dict mapping classes to functions. Call
    the handler for the **closest** class of `value`: look at `type(value)`, then its base
    classes in method-resolution order (`type(value).__mro__`), and use the first one that has
    a handler. Return what the handler returns; if none matches raise
    `TypeError("no handler for <type name>")`.

    ```python
    >>> handlers = {int: lambda v: "int", object: lambda v: "thing"}
    >>> describe(True, handlers), describe("s", handlers)
    ('int', 'thing')
    ```
    """,
    starter=r"""
    def describe(value, handlers):
        pass
    """,
    solution=r"""
    def describe(value, handlers):
        for cls in type(value).__mro__:
            if cls in handlers:
                return handlers[cls](value)
        raise TypeError(f"no handler for {type(value).__name__}")
    """,
    wrong=r"""
    def describe(value, handlers):
        if type(value) in handlers:
            return handlers[type(value)](value)
        if object in handlers:
            return handlers[object](value)
        raise TypeError(f"no handler for {type(value).__name__}")
    """,
    tests=r"""
import pytest

from solution import describe


class Shape:
    pass


class Circle(Shape):
    pass


HANDLERS = {
    int: lambda v: f"int {v}",
    str: str.upper,
    Shape: lambda v: f"shape {type(v).__name__}",
    object: lambda v: "something",
}


def test_exact_types():
    assert describe(4, HANDLERS) == "int 4"
    assert describe("hi", HANDLERS) == "HI"


def test_base_class_handler():
    assert describe(True, HANDLERS) == "int True"
    assert describe(Circle(), HANDLERS) == "shape Circle"


def test_fallback_to_object():
    assert describe(2.5, HANDLERS) == "something"


def test_no_handler():
    with pytest.raises(TypeError, match="no handler for float"):
        describe(2.5, {int: str})
""",
)

add(
    "callables",
    "counted",
    "A decorator that counts calls",
    handout=r"""
    Write a decorator `counted(func)` that returns a wrapper calling `func` with the same
    arguments and returning its result. The wrapper has an attribute `calls`, the number of
    calls so far (starting at 0), and keeps `func`'s `__name__` and `__doc__` (use
    `functools.wraps`).

    ```python
    >>> @counted
    ... def greet(name):
    ...     return "hi " + name
    >>> greet("ann"), greet("bo"), greet.calls, greet.__name__
    ('hi ann', 'hi bo', 2, 'greet')
    ```
    """,
    starter=r"""
    import functools


    def counted(func):
        pass
    """,
    solution=r"""
    import functools


    def counted(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            wrapper.calls += 1
            return func(*args, **kwargs)

        wrapper.calls = 0
        return wrapper
    """,
    wrong=r"""
    def counted(func):
        def wrapper(*args, **kwargs):
            wrapper.calls += 1
            return func(*args, **kwargs)

        wrapper.calls = 0
        return wrapper
    """,
    tests=r"""
from solution import counted


def test_counts_calls_of_a_test_function():
    @counted
    def greet(name, punctuation="!"):
        "Say hi."
        return "hi " + name + punctuation

    assert greet.calls == 0
    assert greet("ann") == "hi ann!"
    assert greet("bo", punctuation="?") == "hi bo?"
    assert greet.calls == 2


def test_keeps_name_and_doc():
    def area(w, h):
        "Area of a rectangle."
        return w * h

    wrapped = counted(area)
    assert wrapped.__name__ == "area"
    assert wrapped.__doc__ == "Area of a rectangle."
    assert wrapped(2, 3) == 6


def test_wraps_a_builtin():
    counted_len = counted(len)
    assert counted_len("abc") == 3
    assert counted_len.calls == 1
""",
)

add(
    "callables",
    "check-schema",
    "Check fields against types",
    handout=r"""
    Write `bad_fields(record, schema)`: `schema` maps field names to a type (or a tuple of
    types, as `isinstance` accepts). Return the sorted list of the field names whose value in
    the dict `record` is missing or not an instance of the schema's type.

    ```python
    >>> bad_fields({"name": "Ada", "age": "36"}, {"name": str, "age": int, "tags": list})
    ['age', 'tags']
    ```
    """,
    starter=r"""
    def bad_fields(record, schema):
        pass
    """,
    solution=r"""
    def bad_fields(record, schema):
        return sorted(
            field for field, kind in schema.items()
            if field not in record or not isinstance(record[field], kind)
        )
    """,
    wrong=r"""
    def bad_fields(record, schema):
        return sorted(
            field for field, kind in schema.items()
            if field not in record or type(record[field]) != kind
        )
    """,
    tests=r"""
from solution import bad_fields


class Address:
    def __init__(self, city):
        self.city = city


def test_wrong_and_missing():
    schema = {"name": str, "age": int, "tags": list}
    assert bad_fields({"name": "Ada", "age": "36"}, schema) == ["age", "tags"]


def test_all_good():
    assert bad_fields({"n": 1, "s": "x", "l": [1]}, {"n": int, "s": str, "l": list}) == []


def test_tuple_of_types():
    schema = {"price": (int, float)}
    assert bad_fields({"price": 2.5}, schema) == []
    assert bad_fields({"price": "2.5"}, schema) == ["price"]


def test_test_class_as_a_type():
    schema = {"home": Address, "work": Address}
    assert bad_fields({"home": Address("Oslo"), "work": "Oslo"}, schema) == ["work"]
""",
)

# ---------------------------------------------------------------------------------------------
# 8. in-place mutation of what the test passed in

add(
    "mutation",
    "double-in-place",
    "Double every item in place",
    handout=r"""
    Write `double_all(numbers)` that doubles every item of the list `numbers` **in place** (the
    caller's list changes) and returns `None`.

    ```python
    >>> nums = [1, 2, 3]
    >>> double_all(nums)
    >>> nums
    [2, 4, 6]
    ```
    """,
    starter=r"""
    def double_all(numbers):
        pass
    """,
    solution=r"""
    def double_all(numbers):
        for i, value in enumerate(numbers):
            numbers[i] = value * 2
    """,
    wrong=r"""
    def double_all(numbers):
        numbers = [value * 2 for value in numbers]
    """,
    tests=r"""
from solution import double_all


def test_the_callers_list_changes():
    nums = [1, 2, 3]
    assert double_all(nums) is None
    assert nums == [2, 4, 6]


def test_same_list_object():
    nums = [5]
    alias = nums
    double_all(nums)
    assert alias is nums
    assert alias == [10]


def test_list_inside_a_dict():
    data = {"scores": [0.5, 1.5]}
    double_all(data["scores"])
    assert data == {"scores": [1.0, 3.0]}


def test_strings_double_too():
    words = ["ab", "c"]
    double_all(words)
    assert words == ["abab", "cc"]
""",
)

add(
    "mutation",
    "sort-players",
    "Sort the caller's list",
    handout=r"""
    Write `rank(players)`: `players` is a list of dicts with keys `"name"` and `"score"`. Sort
    the list **in place** by score, highest first, and by name (A to Z) among equal scores.
    Return `None`.

    ```python
    >>> ps = [{"name": "bo", "score": 3}, {"name": "al", "score": 5}, {"name": "cy", "score": 5}]
    >>> rank(ps)
    >>> [p["name"] for p in ps]
    ['al', 'cy', 'bo']
    ```
    """,
    starter=r"""
    def rank(players):
        pass
    """,
    solution=r"""
    def rank(players):
        players.sort(key=lambda p: (-p["score"], p["name"]))
    """,
    wrong=r"""
    def rank(players):
        return sorted(players, key=lambda p: (-p["score"], p["name"]))
    """,
    tests=r"""
from solution import rank


def players():
    return [
        {"name": "bo", "score": 3},
        {"name": "cy", "score": 5},
        {"name": "al", "score": 5},
        {"name": "di", "score": 9},
    ]


def test_sorted_in_place():
    ps = players()
    assert rank(ps) is None
    assert [p["name"] for p in ps] == ["di", "al", "cy", "bo"]


def test_the_dicts_are_the_same_objects():
    ps = players()
    di = ps[3]
    rank(ps)
    assert ps[0] is di


def test_empty_list():
    ps = []
    rank(ps)
    assert ps == []
""",
)

add(
    "mutation",
    "dedupe-in-place",
    "Remove duplicates in place",
    handout=r"""
    Write `remove_duplicates(items)` that removes from the list `items`, **in place**, every
    item equal to an earlier one, keeping the first occurrences in their order. Return the
    number of items removed.

    ```python
    >>> xs = [3, 1, 3, 2, 1]
    >>> remove_duplicates(xs)
    2
    >>> xs
    [3, 1, 2]
    ```
    """,
    starter=r"""
    def remove_duplicates(items):
        pass
    """,
    solution=r"""
    def remove_duplicates(items):
        seen = set()
        kept = []
        for item in items:
            if item not in seen:
                seen.add(item)
                kept.append(item)
        removed = len(items) - len(kept)
        items[:] = kept
        return removed
    """,
    wrong=r"""
    def remove_duplicates(items):
        kept = list(set(items))
        removed = len(items) - len(kept)
        items[:] = kept
        return removed
    """,
    tests=r"""
from solution import remove_duplicates


def test_order_of_first_occurrences():
    xs = [3, 1, 3, 2, 1]
    assert remove_duplicates(xs) == 2
    assert xs == [3, 1, 2]


def test_same_list_object():
    xs = [9, 9, 9]
    alias = xs
    remove_duplicates(xs)
    assert alias is xs
    assert xs == [9]


def test_nothing_to_remove():
    xs = [5, 4, 3]
    assert remove_duplicates(xs) == 0
    assert xs == [5, 4, 3]
""",
)

add(
    "mutation",
    "rotate-matrix",
    "Rotate a matrix in place",
    handout=r"""
    Write `rotate(matrix)` that rotates a square matrix (a list of lists) 90 degrees
    **clockwise**, in place: the outer list object stays the same and ends up holding the
    rotated rows. Return `None`.

    ```python
    >>> m = [[1, 2], [3, 4]]
    >>> rotate(m)
    >>> m
    [[3, 1], [4, 2]]
    ```
    """,
    starter=r"""
    def rotate(matrix):
        pass
    """,
    solution=r"""
    def rotate(matrix):
        n = len(matrix)
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i][j], matrix[j][i] = matrix[j][i], matrix[i][j]
        for row in matrix:
            row.reverse()
    """,
    wrong=r"""
    def rotate(matrix):
        n = len(matrix)
        for i in range(n):
            for j in range(i + 1, n):
                matrix[i][j], matrix[j][i] = matrix[j][i], matrix[i][j]
        matrix.reverse()
    """,
    tests=r"""
from solution import rotate


def test_two_by_two():
    m = [[1, 2], [3, 4]]
    assert rotate(m) is None
    assert m == [[3, 1], [4, 2]]


def test_three_by_three_same_outer_list():
    m = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    outer = m
    rotate(m)
    assert m is outer
    assert m == [[7, 4, 1], [8, 5, 2], [9, 6, 3]]


def test_four_rotations_give_the_original():
    m = [[r * 4 + c for c in range(4)] for r in range(4)]
    original = [row[:] for row in m]
    for _ in range(4):
        rotate(m)
    assert m == original


def test_one_by_one():
    m = [["x"]]
    rotate(m)
    assert m == [["x"]]
""",
)

add(
    "mutation",
    "enroll",
    "Update a dict of lists",
    handout=r"""
    Write `enroll(courses, student, course)`: `courses` is a dict mapping course names to lists
    of students. Add `student` to the list of `course` **in place** (append to the existing
    list; create the list if the course is new). A student already enrolled is not added twice.
    Return `None`.

    ```python
    >>> courses = {"math": ["ann"]}
    >>> enroll(courses, "bo", "math"); enroll(courses, "bo", "art")
    >>> courses
    {'math': ['ann', 'bo'], 'art': ['bo']}
    ```
    """,
    starter=r"""
    def enroll(courses, student, course):
        pass
    """,
    solution=r"""
    def enroll(courses, student, course):
        students = courses.setdefault(course, [])
        if student not in students:
            students.append(student)
    """,
    wrong=r"""
    def enroll(courses, student, course):
        students = courses.get(course, [])
        if student not in students:
            courses[course] = students + [student]
    """,
    tests=r"""
from solution import enroll


def test_adds_to_existing_and_new_courses():
    courses = {"math": ["ann"]}
    enroll(courses, "bo", "math")
    enroll(courses, "bo", "art")
    assert courses == {"math": ["ann", "bo"], "art": ["bo"]}


def test_existing_list_is_appended_to():
    math = ["ann"]
    courses = {"math": math}
    assert enroll(courses, "cy", "math") is None
    assert courses["math"] is math
    assert math == ["ann", "cy"]


def test_no_duplicates():
    courses = {}
    enroll(courses, "ann", "art")
    enroll(courses, "ann", "art")
    assert courses == {"art": ["ann"]}
""",
)

add(
    "mutation",
    "apply-interest",
    "Change attributes of the test's objects",
    handout=r"""
    Write `apply_interest(accounts, rate)`: `accounts` is a list of objects with a `balance`
    attribute. Add interest to every account **with a positive balance**
    (`balance * (1 + rate)`, rounded to 2 decimals with `round`); leave the others alone.
    Return the number of accounts changed.

    ```python
    >>> a, b = Account(100), Account(-5)
    >>> apply_interest([a, b], 0.05)
    1
    >>> a.balance, b.balance
    (105.0, -5)
    ```
    """,
    starter=r"""
    def apply_interest(accounts, rate):
        pass
    """,
    solution=r"""
    def apply_interest(accounts, rate):
        changed = 0
        for account in accounts:
            if account.balance > 0:
                account.balance = round(account.balance * (1 + rate), 2)
                changed += 1
        return changed
    """,
    wrong=r"""
    def apply_interest(accounts, rate):
        changed = 0
        for account in accounts:
            if account.balance > 0:
                account.balance = round(account.balance * (1 + rate), 2)
                changed += 1
            return changed
        return changed
    """,
    tests=r"""
import pytest

from solution import apply_interest


class Account:
    def __init__(self, balance, owner="?"):
        self.balance = balance
        self.owner = owner


def test_every_positive_account_changes():
    accounts = [Account(100), Account(-5), Account(200.5)]
    assert apply_interest(accounts, 0.05) == 2
    assert [a.balance for a in accounts] == pytest.approx([105.0, -5, 210.53])


def test_other_attributes_untouched():
    acct = Account(10, owner="ann")
    apply_interest([acct], 0.5)
    assert acct.owner == "ann"
    assert acct.balance == 15


def test_same_objects_in_a_dict():
    acct = Account(50)
    by_owner = {"zed": acct}
    apply_interest(list(by_owner.values()), 0.1)
    assert by_owner["zed"] is acct
    assert acct.balance == pytest.approx(55.0)


def test_empty():
    assert apply_interest([], 0.1) == 0
""",
)

add(
    "mutation",
    "prune-set",
    "Remove from a set in place",
    handout=r"""
    Write `prune(tags, banned)` that removes from the set `tags`, **in place**, every tag that
    is in the collection `banned`, and returns how many tags were removed.

    ```python
    >>> tags = {"python", "spam", "code"}
    >>> prune(tags, ["spam", "eggs"])
    1
    >>> sorted(tags)
    ['code', 'python']
    ```
    """,
    starter=r"""
    def prune(tags, banned):
        pass
    """,
    solution=r"""
    def prune(tags, banned):
        before = len(tags)
        tags.difference_update(banned)
        return before - len(tags)
    """,
    wrong=r"""
    def prune(tags, banned):
        before = len(tags)
        tags = tags - set(banned)
        return before - len(tags)
    """,
    tests=r"""
from solution import prune


def test_removes_in_place():
    tags = {"python", "spam", "code"}
    assert prune(tags, ["spam", "eggs"]) == 1
    assert tags == {"python", "code"}


def test_set_inside_an_object():
    class Post:
        def __init__(self):
            self.tags = {"a", "b", "c"}

    post = Post()
    original = post.tags
    prune(post.tags, {"a", "c"})
    assert post.tags is original
    assert post.tags == {"b"}


def test_nothing_banned():
    tags = {"x"}
    assert prune(tags, []) == 0
    assert tags == {"x"}
""",
)

add(
    "mutation",
    "reverse-list",
    "Reverse a list in place by swapping",
    handout=r"""
    Write `reverse_in_place(items)` that reverses the list `items` in place by swapping
    items from both ends towards the middle (do not build a new list). Return `None`.

    ```python
    >>> xs = [1, 2, 3, 4]
    >>> reverse_in_place(xs)
    >>> xs
    [4, 3, 2, 1]
    ```
    """,
    starter=r"""
    def reverse_in_place(items):
        pass
    """,
    solution=r"""
    def reverse_in_place(items):
        i, j = 0, len(items) - 1
        while i < j:
            items[i], items[j] = items[j], items[i]
            i += 1
            j -= 1
    """,
    wrong=r"""
    def reverse_in_place(items):
        n = len(items)
        for i in range(n):
            items[i], items[n - 1 - i] = items[n - 1 - i], items[i]
    """,
    tests=r"""
from solution import reverse_in_place


def test_even_length():
    xs = [1, 2, 3, 4]
    assert reverse_in_place(xs) is None
    assert xs == [4, 3, 2, 1]


def test_odd_length():
    xs = list("abcde")
    reverse_in_place(xs)
    assert xs == list("edcba")


def test_short_lists():
    one, empty = [1], []
    reverse_in_place(one)
    reverse_in_place(empty)
    assert one == [1]
    assert empty == []


def test_items_are_the_same_objects():
    a, b = [1], [2]
    xs = [a, b]
    reverse_in_place(xs)
    assert xs[0] is b and xs[1] is a
""",
)

add(
    "mutation",
    "move-zeros",
    "Move the zeros to the end",
    handout=r"""
    Write `move_zeros(numbers)` that moves every `0` of the list `numbers` to its end, in
    place, keeping the other numbers in their order. Return `None`.

    ```python
    >>> xs = [0, 1, 0, 3, 12]
    >>> move_zeros(xs)
    >>> xs
    [1, 3, 12, 0, 0]
    ```
    """,
    starter=r"""
    def move_zeros(numbers):
        pass
    """,
    solution=r"""
    def move_zeros(numbers):
        write = 0
        for value in list(numbers):
            if value != 0:
                numbers[write] = value
                write += 1
        for i in range(write, len(numbers)):
            numbers[i] = 0
    """,
    wrong=r"""
    def move_zeros(numbers):
        end = len(numbers) - 1
        i = 0
        while i < end:
            if numbers[i] == 0:
                numbers[i], numbers[end] = numbers[end], numbers[i]
                end -= 1
            else:
                i += 1
    """,
    tests=r"""
from solution import move_zeros


def test_example():
    xs = [0, 1, 0, 3, 12]
    assert move_zeros(xs) is None
    assert xs == [1, 3, 12, 0, 0]


def test_order_is_kept():
    xs = [4, 0, 5, 0, 0, 6, 7]
    move_zeros(xs)
    assert xs == [4, 5, 6, 7, 0, 0, 0]


def test_no_zeros_and_all_zeros():
    a, b = [1, 2], [0, 0]
    move_zeros(a)
    move_zeros(b)
    assert (a, b) == ([1, 2], [0, 0])
""",
)

add(
    "mutation",
    "set-path",
    "Set a value deep in a nested dict",
    handout=r"""
    Write `set_path(config, path, value)`: `path` is a dotted string such as `"db.pool.size"`.
    Set the value at that path in the nested dict `config`, **in place**, creating the dicts
    that are missing on the way and keeping everything else that is already there. Return
    `None`.

    ```python
    >>> config = {"db": {"host": "x"}}
    >>> set_path(config, "db.pool.size", 5)
    >>> config
    {'db': {'host': 'x', 'pool': {'size': 5}}}
    ```
    """,
    starter=r"""
    def set_path(config, path, value):
        pass
    """,
    solution=r"""
    def set_path(config, path, value):
        *parents, last = path.split(".")
        node = config
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    """,
    wrong=r"""
    def set_path(config, path, value):
        *parents, last = path.split(".")
        node = config
        for key in parents:
            node[key] = {}
            node = node[key]
        node[last] = value
    """,
    tests=r"""
from solution import set_path


def test_creates_missing_levels():
    config = {}
    assert set_path(config, "a.b.c", 1) is None
    assert config == {"a": {"b": {"c": 1}}}


def test_keeps_siblings():
    config = {"db": {"host": "x"}}
    set_path(config, "db.pool.size", 5)
    assert config == {"db": {"host": "x", "pool": {"size": 5}}}


def test_inner_dicts_are_the_same_objects():
    db = {"host": "x"}
    config = {"db": db}
    set_path(config, "db.port", 5432)
    assert config["db"] is db
    assert db == {"host": "x", "port": 5432}


def test_top_level_key():
    config = {"a": 1}
    set_path(config, "a", 2)
    assert config == {"a": 2}
""",
)

# ---------------------------------------------------------------------------------------------
# 9. printed output, captured with capsys or contextlib.redirect_stdout

add(
    "output",
    "greet",
    "Print a greeting",
    handout=r"""
    Write `greet(name)` that **prints** (does not return) `Hello, <name>!` on one line.

    ```python
    >>> greet("Ada")
    Hello, Ada!
    ```
    """,
    starter=r"""
    def greet(name):
        pass
    """,
    solution=r"""
    def greet(name):
        print(f"Hello, {name}!")
    """,
    wrong=r"""
    def greet(name):
        print(f"Hello {name}!")
    """,
    tests=r"""
def test_printed_line(capsys):
    from solution import greet

    greet("Ada")
    assert capsys.readouterr().out == "Hello, Ada!\n"


def test_returns_nothing(capsys):
    from solution import greet

    assert greet("Bo") is None
    captured = capsys.readouterr()
    assert captured.out == "Hello, Bo!\n"
    assert captured.err == ""


def test_two_calls_two_lines(capsys):
    from solution import greet

    greet("a")
    greet("b")
    assert capsys.readouterr().out.splitlines() == ["Hello, a!", "Hello, b!"]
""",
)

add(
    "output",
    "times-table",
    "Print a multiplication table",
    handout=r"""
    Write `times_table(n)` that prints the `n` by `n` multiplication table: row `i` holds
    `i*1 ... i*n`, each number right-aligned in a column as wide as the largest number
    (`n * n`), the columns separated by one space, no trailing spaces.

    ```python
    >>> times_table(3)
    1 2 3
    2 4 6
    3 6 9
    >>> times_table(4)
     1  2  3  4
     2  4  6  8
     3  6  9 12
     4  8 12 16
    ```
    """,
    starter=r"""
    def times_table(n):
        pass
    """,
    solution=r"""
    def times_table(n):
        width = len(str(n * n))
        for i in range(1, n + 1):
            print(" ".join(str(i * j).rjust(width) for j in range(1, n + 1)))
    """,
    wrong=r"""
    def times_table(n):
        width = len(str(n))
        for i in range(1, n + 1):
            print(" ".join(str(i * j).rjust(width) for j in range(1, n + 1)))
    """,
    tests=r"""
import contextlib
import io

from solution import times_table


def printed(n):
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        times_table(n)
    return buffer.getvalue()


def test_three():
    assert printed(3) == "1 2 3\n2 4 6\n3 6 9\n"


def test_four_is_aligned():
    assert printed(4) == " 1  2  3  4\n 2  4  6  8\n 3  6  9 12\n 4  8 12 16\n"


def test_ten_has_equal_lines():
    lines = printed(10).splitlines()
    assert len(lines) == 10
    assert len({len(line) for line in lines}) == 1
    assert lines[-1].endswith(" 90 100")
""",
)

add(
    "output",
    "triangle",
    "Print a triangle of stars",
    handout=r"""
    Write `triangle(n)` that prints a centered triangle of `n` rows: row `i` (from 1) has
    `n - i` spaces then `2 * i - 1` stars, and no trailing spaces.

    ```python
    >>> triangle(3)
      *
     ***
    *****
    ```
    """,
    starter=r"""
    def triangle(n):
        pass
    """,
    solution=r"""
    def triangle(n):
        for i in range(1, n + 1):
            print(" " * (n - i) + "*" * (2 * i - 1))
    """,
    wrong=r"""
    def triangle(n):
        for i in range(1, n + 1):
            print(("*" * (2 * i - 1)).center(2 * n - 1))
    """,
    tests=r"""
import contextlib
import io

from solution import triangle


def test_three_rows():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        triangle(3)
    assert out.getvalue() == "  *\n ***\n*****\n"


def test_one_row(capsys):
    triangle(1)
    assert capsys.readouterr().out == "*\n"


def test_zero_rows_print_nothing(capsys):
    triangle(0)
    assert capsys.readouterr().out == ""
""",
)

add(
    "output",
    "report-to-stderr",
    "Warnings go to standard error",
    handout=r"""
    Write `report(values)` that prints every item of `values` that is a number (`int` or
    `float`, not `bool`) on its own line on **standard output**, and for every other item
    prints `skipping <repr(item)>` on **standard error** (`print(..., file=sys.stderr)`).
    Return the count of numbers printed.

    ```python
    >>> n = report([1, "x", 2.5])    # standard error gets the line: skipping 'x'
    1
    2.5
    >>> n
    2
    ```
    """,
    starter=r"""
    import sys


    def report(values):
        pass
    """,
    solution=r"""
    import sys


    def report(values):
        count = 0
        for value in values:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                print(value)
                count += 1
            else:
                print(f"skipping {value!r}", file=sys.stderr)
        return count
    """,
    wrong=r"""
    import sys


    def report(values):
        count = 0
        for value in values:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                print(value)
                count += 1
            else:
                print(f"skipping {value!r}")
        return count
    """,
    tests=r"""
from solution import report


def test_numbers_to_stdout_others_to_stderr(capsys):
    assert report([1, "x", 2.5, None]) == 2
    captured = capsys.readouterr()
    assert captured.out == "1\n2.5\n"
    assert captured.err == "skipping 'x'\nskipping None\n"


def test_bools_are_skipped(capsys):
    assert report([True]) == 0
    assert capsys.readouterr().err == "skipping True\n"


def test_only_numbers(capsys):
    report([3])
    captured = capsys.readouterr()
    assert captured.out == "3\n"
    assert captured.err == ""
""",
)

add(
    "output",
    "receipt-str",
    "Print an object with __str__",
    handout=r"""
    Write a class `Receipt` with `add(item, price)` and a `__str__` that gives one line per
    item, `"<item>: <price with 2 decimals>"`, then a line `"total: <total with 2
    decimals>"`. `print(receipt)` prints that text. Write also `print_receipt(pairs)` that
    builds a `Receipt` from `(item, price)` pairs, prints it, and returns it.

    ```python
    >>> r = Receipt()
    >>> r.add("tea", 2.5); r.add("cake", 3)
    >>> print(r)
    tea: 2.50
    cake: 3.00
    total: 5.50
    ```
    """,
    starter=r"""
    class Receipt:
        def __init__(self):
            self.lines = []

        def add(self, item, price):
            pass

        def __str__(self):
            pass


    def print_receipt(pairs):
        pass
    """,
    solution=r"""
    class Receipt:
        def __init__(self):
            self.lines = []

        def add(self, item, price):
            self.lines.append((item, price))

        def __str__(self):
            rows = [f"{item}: {price:.2f}" for item, price in self.lines]
            rows.append(f"total: {sum(price for _, price in self.lines):.2f}")
            return "\n".join(rows)


    def print_receipt(pairs):
        receipt = Receipt()
        for item, price in pairs:
            receipt.add(item, price)
        print(receipt)
        return receipt
    """,
    wrong=r"""
    class Receipt:
        def __init__(self):
            self.lines = []

        def add(self, item, price):
            self.lines.append((item, price))

        def __str__(self):
            rows = [f"{item}: {price}" for item, price in self.lines]
            rows.append(f"total: {sum(price for _, price in self.lines)}")
            return "\n".join(rows)


    def print_receipt(pairs):
        receipt = Receipt()
        for item, price in pairs:
            receipt.add(item, price)
        print(receipt)
        return receipt
    """,
    tests=r"""
import contextlib
import io

import solution


def test_print_the_object_in_the_test(capsys):
    r = solution.Receipt()
    r.add("tea", 2.5)
    r.add("cake", 3)
    print(r)
    assert capsys.readouterr().out == "tea: 2.50\ncake: 3.00\ntotal: 5.50\n"


def test_str_of_an_empty_receipt():
    assert str(solution.Receipt()) == "total: 0.00"


def test_print_receipt_prints_and_returns():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        r = solution.print_receipt([("pen", 1.25)])
    assert out.getvalue() == "pen: 1.25\ntotal: 1.25\n"
    assert isinstance(r, solution.Receipt)
    assert f"{r}".splitlines()[-1] == "total: 1.25"
""",
)

add(
    "output",
    "sep-and-end",
    "Separators and line ends",
    handout=r"""
    Write `print_row(items)` that prints the items on one line separated by `" | "`, and
    `countdown_line(n)` that prints `n n-1 ... 1 liftoff!` on one line (numbers separated by
    spaces, a newline only at the very end). Use the `sep` and `end` arguments of `print`.

    ```python
    >>> print_row(["a", 1, 2.5])
    a | 1 | 2.5
    >>> countdown_line(3)
    3 2 1 liftoff!
    ```
    """,
    starter=r"""
    def print_row(items):
        pass


    def countdown_line(n):
        pass
    """,
    solution=r"""
    def print_row(items):
        print(*items, sep=" | ")


    def countdown_line(n):
        for i in range(n, 0, -1):
            print(i, end=" ")
        print("liftoff!")
    """,
    wrong=r"""
    def print_row(items):
        for item in items:
            print(item, end=" | ")
        print()


    def countdown_line(n):
        for i in range(n, 0, -1):
            print(i, end=" ")
        print("liftoff!")
    """,
    tests=r"""
from solution import countdown_line, print_row


def test_row(capsys):
    print_row(["a", 1, 2.5])
    assert capsys.readouterr().out == "a | 1 | 2.5\n"


def test_single_item_row(capsys):
    print_row(["only"])
    assert capsys.readouterr().out == "only\n"


def test_countdown(capsys):
    countdown_line(3)
    assert capsys.readouterr().out == "3 2 1 liftoff!\n"
""",
)

add(
    "output",
    "print-and-return",
    "Print a summary and return a value",
    handout=r"""
    Write `summarize(numbers)` that **prints** `min=<smallest> max=<largest>` and **returns**
    the mean of the numbers (a float). An empty list prints `no numbers` and returns `None`.

    ```python
    >>> m = summarize([1, 9, 5])
    min=1 max=9
    >>> m
    5.0
    ```
    """,
    starter=r"""
    def summarize(numbers):
        pass
    """,
    solution=r"""
    def summarize(numbers):
        if not numbers:
            print("no numbers")
            return None
        print(f"min={min(numbers)} max={max(numbers)}")
        return sum(numbers) / len(numbers)
    """,
    wrong=r"""
    def summarize(numbers):
        if not numbers:
            print("no numbers")
            return None
        print(f"min={min(numbers)} max={max(numbers)}")
        print(sum(numbers) / len(numbers))
    """,
    tests=r"""
import pytest

from solution import summarize


def test_prints_and_returns(capsys):
    result = summarize([1, 9, 5])
    assert capsys.readouterr().out == "min=1 max=9\n"
    assert result == pytest.approx(5.0)


def test_mean_with_fractions(capsys):
    assert summarize([1, 2]) == pytest.approx(1.5)
    assert capsys.readouterr().out == "min=1 max=2\n"


def test_empty(capsys):
    assert summarize([]) is None
    assert capsys.readouterr().out == "no numbers\n"
""",
)

add(
    "output",
    "histogram",
    "Print a histogram",
    handout=r"""
    Write `histogram(counts)`: `counts` maps labels to whole numbers. Print one line per label,
    in alphabetical order of the labels: the label left-aligned to the width of the longest
    label, then `" | "`, then as many `*` as the count.

    ```python
    >>> histogram({"pear": 2, "fig": 4, "apple": 1})
    apple | *
    fig   | ****
    pear  | **
    ```
    """,
    starter=r"""
    def histogram(counts):
        pass
    """,
    solution=r"""
    def histogram(counts):
        width = max((len(label) for label in counts), default=0)
        for label in sorted(counts):
            print(f"{label.ljust(width)} | {'*' * counts[label]}")
    """,
    wrong=r"""
    def histogram(counts):
        width = max((len(label) for label in counts), default=0)
        for label in counts:
            print(f"{label.ljust(width)} | {'*' * counts[label]}")
    """,
    tests=r"""
import contextlib
import io

from solution import histogram


def printed(counts):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        histogram(counts)
    return out.getvalue()


def test_sorted_and_aligned():
    assert printed({"pear": 2, "fig": 4, "apple": 1}) == (
        "apple | *\n"
        "fig   | ****\n"
        "pear  | **\n"
    )


def test_zero_count():
    assert printed({"b": 0, "a": 1}) == "a | *\nb | \n"


def test_empty():
    assert printed({}) == ""
""",
)

add(
    "output",
    "print-table",
    "Print a table with a header",
    handout=r"""
    Write `print_table(headers, rows)` that prints a table: each column is as wide as its
    widest cell (header included), cells are left-aligned and separated by two spaces, and a
    line of dashes (as wide as each column, separated by two spaces) follows the header. No
    trailing spaces: strip each line on the right.

    ```python
    >>> print_table(["name", "qty"], [["apple", 3], ["fig", 12]])
    name   qty
    -----  ---
    apple  3
    fig    12
    ```
    """,
    starter=r"""
    def print_table(headers, rows):
        pass
    """,
    solution=r"""
    def print_table(headers, rows):
        table = [[str(cell) for cell in row] for row in [headers, *rows]]
        widths = [max(len(row[i]) for row in table) for i in range(len(headers))]

        def line(cells):
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

        print(line(table[0]))
        print(line(["-" * w for w in widths]))
        for row in table[1:]:
            print(line(row))
    """,
    wrong=r"""
    def print_table(headers, rows):
        table = [[str(cell) for cell in row] for row in [headers, *rows]]
        widths = [len(h) for h in table[0]]

        def line(cells):
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

        print(line(table[0]))
        print(line(["-" * w for w in widths]))
        for row in table[1:]:
            print(line(row))
    """,
    tests=r"""
from solution import print_table


def test_table(capsys):
    print_table(["name", "qty"], [["apple", 3], ["fig", 12]])
    assert capsys.readouterr().out == "name   qty\n-----  ---\napple  3\nfig    12\n"


def test_header_only(capsys):
    print_table(["a", "bb"], [])
    assert capsys.readouterr().out == "a  bb\n-  --\n"
""",
)

add(
    "output",
    "fizzbuzz",
    "Print FizzBuzz",
    handout=r"""
    Write `fizzbuzz(n)` that prints the numbers from 1 to `n`, one per line, but prints `Fizz`
    instead of multiples of 3, `Buzz` instead of multiples of 5, and `FizzBuzz` instead of
    multiples of both.

    ```python
    >>> fizzbuzz(5)
    1
    2
    Fizz
    4
    Buzz
    ```
    """,
    starter=r"""
    def fizzbuzz(n):
        pass
    """,
    solution=r"""
    def fizzbuzz(n):
        for i in range(1, n + 1):
            if i % 15 == 0:
                print("FizzBuzz")
            elif i % 3 == 0:
                print("Fizz")
            elif i % 5 == 0:
                print("Buzz")
            else:
                print(i)
    """,
    wrong=r"""
    def fizzbuzz(n):
        for i in range(1, n + 1):
            if i % 3 == 0:
                print("Fizz")
            elif i % 5 == 0:
                print("Buzz")
            elif i % 15 == 0:
                print("FizzBuzz")
            else:
                print(i)
    """,
    tests=r"""
import contextlib
import io

from solution import fizzbuzz


def lines(n):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fizzbuzz(n)
    return out.getvalue().splitlines()


def test_first_five():
    assert lines(5) == ["1", "2", "Fizz", "4", "Buzz"]


def test_fifteen():
    assert lines(15)[-1] == "FizzBuzz"


def test_hundred_lines():
    result = lines(100)
    assert len(result) == 100
    assert result.count("FizzBuzz") == 6
""",
)

# ---------------------------------------------------------------------------------------------
# 10. input() and sys.stdin, fed by the test through monkeypatch

add(
    "input",
    "ask-name",
    "Ask for a name",
    handout=r"""
    Write `ask_name()` that asks the user with `input("What is your name? ")` (note the space
    after the question mark) and returns `"Hello, <name>!"` with the answer stripped of
    surrounding spaces.

    ```python
    >>> ask_name()
    What is your name?  Ada
    'Hello, Ada!'
    ```
    """,
    starter=r"""
    def ask_name():
        pass
    """,
    solution=r"""
    def ask_name():
        name = input("What is your name? ").strip()
        return f"Hello, {name}!"
    """,
    wrong=r"""
    def ask_name():
        name = input("What is your name?").strip()
        return f"Hello, {name}!"
    """,
    tests=r"""
from solution import ask_name


def test_answer_is_used(monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt="": "Ada")
    assert ask_name() == "Hello, Ada!"


def test_prompt_and_strip(monkeypatch):
    prompts = []

    def fake_input(prompt=""):
        prompts.append(prompt)
        return "  Bo \n"

    monkeypatch.setattr("builtins.input", fake_input)
    assert ask_name() == "Hello, Bo!"
    assert prompts == ["What is your name? "]
""",
)

add(
    "input",
    "sum-until-blank",
    "Add numbers until a blank line",
    handout=r"""
    Write `read_total()` that reads lines with `input()` (no prompt), each a whole number,
    until a blank line (empty or only spaces), and returns the sum of the numbers.

    ```python
    >>> read_total()
    4
    10
    -1

    13
    ```
    """,
    starter=r"""
    def read_total():
        pass
    """,
    solution=r"""
    def read_total():
        total = 0
        while True:
            line = input()
            if not line.strip():
                return total
            total += int(line)
    """,
    wrong=r"""
    def read_total():
        total = 0
        while True:
            line = input()
            if not line:
                return total
            total += int(line)
    """,
    tests=r"""
import pytest

from solution import read_total


def feed(monkeypatch, lines):
    answers = iter(lines)
    calls = []

    def fake_input(*args):
        calls.append(args)
        try:
            return next(answers)
        except StopIteration:
            raise AssertionError("input() was called after the blank line") from None

    monkeypatch.setattr("builtins.input", fake_input)
    return calls


def test_sum(monkeypatch):
    feed(monkeypatch, ["4", "10", "-1", ""])
    assert read_total() == 13


def test_no_prompt_is_shown(monkeypatch):
    calls = feed(monkeypatch, ["1", ""])
    read_total()
    assert all(args in [(), ("",)] for args in calls)
    assert len(calls) == 2


def test_blank_line_with_spaces_ends(monkeypatch):
    feed(monkeypatch, ["5", "   ", "7"])
    assert read_total() == 5


def test_immediately_blank(monkeypatch):
    feed(monkeypatch, [""])
    assert read_total() == 0


def test_bad_number(monkeypatch):
    feed(monkeypatch, ["x", ""])
    with pytest.raises(ValueError):
        read_total()
""",
)

add(
    "input",
    "word-count-stdin",
    "Count the words on standard input",
    handout=r"""
    Write `main()` that reads **all** of standard input (`sys.stdin.read()`) and prints
    `<lines> <words> <characters>` like `wc`: the number of lines (newline characters), of
    words (separated by whitespace) and of characters.

    ```text
    $ printf 'one two\nthree\n' | python -c "import solution; solution.main()"
    2 3 14
    ```
    """,
    starter=r"""
    import sys


    def main():
        pass
    """,
    solution=r"""
    import sys


    def main():
        text = sys.stdin.read()
        print(text.count("\n"), len(text.split()), len(text))
    """,
    wrong=r"""
    import sys


    def main():
        text = sys.stdin.read()
        print(len(text.splitlines()), len(text.split()), len(text))
    """,
    tests=r"""
import io
import sys

import solution


def test_two_lines(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("one two\nthree\n"))
    solution.main()
    assert capsys.readouterr().out == "2 3 14\n"


def test_last_line_without_newline(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("a b\nc"))
    solution.main()
    assert capsys.readouterr().out == "1 3 5\n"


def test_empty_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    solution.main()
    assert capsys.readouterr().out == "0 0 0\n"
""",
)

add(
    "input",
    "average-lines",
    "Average of the numbers on standard input",
    handout=r"""
    Write `average_from_stdin()` that reads standard input line by line
    (`for line in sys.stdin`), skips blank lines, and returns the average of the numbers
    (floats) on the other lines; with no numbers it returns `0.0`.

    ```text
    input:  "1\n\n2.5\n"      ->  1.75
    ```
    """,
    starter=r"""
    import sys


    def average_from_stdin():
        pass
    """,
    solution=r"""
    import sys


    def average_from_stdin():
        numbers = [float(line) for line in sys.stdin if line.strip()]
        return sum(numbers) / len(numbers) if numbers else 0.0
    """,
    wrong=r"""
    import sys


    def average_from_stdin():
        numbers = [float(line) for line in sys.stdin if line]
        return sum(numbers) / len(numbers) if numbers else 0.0
    """,
    tests=r"""
import io
import sys

import pytest

from solution import average_from_stdin


def test_skips_blank_lines(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n\n2.5\n"))
    assert average_from_stdin() == pytest.approx(1.75)


def test_spaces_around_numbers(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("  4 \n 6\n   \n"))
    assert average_from_stdin() == pytest.approx(5.0)


def test_nothing(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert average_from_stdin() == 0.0
""",
)

add(
    "input",
    "calculator-menu",
    "A command loop",
    handout=r"""
    Write `run()` that keeps a value, starting at 0, and reads commands with `input("> ")`
    until the command `quit`:

    - `add N` adds the number `N`, `sub N` subtracts it;
    - `show` prints the value;
    - anything else prints `unknown command: <command>`.

    `run()` returns the final value.

    ```text
    > add 5
    > sub 2
    > show
    3
    > quit
    ```
    """,
    starter=r"""
    def run():
        value = 0
        return value
    """,
    solution=r"""
    def run():
        value = 0
        while True:
            command = input("> ").strip()
            if command == "quit":
                return value
            word, _, arg = command.partition(" ")
            if word == "add":
                value += int(arg)
            elif word == "sub":
                value -= int(arg)
            elif word == "show":
                print(value)
            else:
                print(f"unknown command: {command}")
    """,
    wrong=r"""
    def run():
        value = 0
        while True:
            command = input("> ").strip()
            if command == "quit":
                return value
            word, _, arg = command.partition(" ")
            if word == "add":
                value += int(arg)
            elif word == "sub":
                value += int(arg)
            elif word == "show":
                print(value)
            else:
                print(f"unknown command: {command}")
    """,
    tests=r"""
from solution import run


def feed(monkeypatch, commands):
    answers = iter(commands)
    prompts = []

    def fake_input(prompt=""):
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


def test_session(monkeypatch, capsys):
    prompts = feed(monkeypatch, ["add 5", "sub 2", "show", "quit"])
    assert run() == 3
    assert capsys.readouterr().out == "3\n"
    assert prompts == ["> "] * 4


def test_unknown_command(monkeypatch, capsys):
    feed(monkeypatch, ["jump", "quit"])
    assert run() == 0
    assert capsys.readouterr().out == "unknown command: jump\n"


def test_negative_result(monkeypatch, capsys):
    feed(monkeypatch, ["sub 10", "add 3", "show", "quit"])
    assert run() == -7
    assert capsys.readouterr().out == "-7\n"
""",
)

add(
    "input",
    "ask-age-retry",
    "Ask again until the answer is valid",
    handout=r"""
    Write `ask_age()` that asks `input("Age: ")` until the answer is a whole number (spaces
    around it allowed), printing `please type a number` after each bad answer, and returns the
    number as an `int`.

    ```text
    Age: ten
    please type a number
    Age: 10
    ```
    """,
    starter=r"""
    def ask_age():
        pass
    """,
    solution=r"""
    def ask_age():
        while True:
            answer = input("Age: ")
            try:
                return int(answer.strip())
            except ValueError:
                print("please type a number")
    """,
    wrong=r"""
    def ask_age():
        answer = input("Age: ")
        try:
            return int(answer.strip())
        except ValueError:
            print("please type a number")
            return int(input("Age: ").strip())
    """,
    tests=r"""
import io
import sys

from solution import ask_age


def test_reads_from_stdin_and_shows_the_prompt(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("42\n"))
    assert ask_age() == 42
    assert capsys.readouterr().out == "Age: "


def test_asks_again(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("ten\n \nx1\n 10 \n"))
    assert ask_age() == 10
    out = capsys.readouterr().out
    assert out.count("please type a number") == 3
    assert out.count("Age: ") == 4


def test_with_a_fake_input(monkeypatch):
    answers = iter(["?", "7"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert ask_age() == 7
""",
)

add(
    "input",
    "guessing-game",
    "A guessing game",
    handout=r"""
    Write `play(secret)` that reads guesses with `input("Guess: ")` until the user finds
    `secret`, printing `too low` or `too high` after each wrong guess, and finally
    `correct in <n> guesses` (`guess` if n is 1). It returns the number of guesses.

    ```text
    Guess: 50
    too high
    Guess: 20
    correct in 2 guesses
    ```
    """,
    starter=r"""
    def play(secret):
        pass
    """,
    solution=r"""
    def play(secret):
        count = 0
        while True:
            guess = int(input("Guess: "))
            count += 1
            if guess < secret:
                print("too low")
            elif guess > secret:
                print("too high")
            else:
                print(f"correct in {count} {'guess' if count == 1 else 'guesses'}")
                return count
    """,
    wrong=r"""
    def play(secret):
        count = 0
        while True:
            guess = int(input("Guess: "))
            count += 1
            if guess < secret:
                print("too high")
            elif guess > secret:
                print("too low")
            else:
                print(f"correct in {count} {'guess' if count == 1 else 'guesses'}")
                return count
    """,
    tests=r"""
from solution import play


def feed(monkeypatch, guesses):
    answers = iter(str(g) for g in guesses)
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))


def test_three_guesses(monkeypatch, capsys):
    feed(monkeypatch, [50, 10, 20])
    assert play(20) == 3
    assert capsys.readouterr().out == "too high\ntoo low\ncorrect in 3 guesses\n"


def test_first_guess(monkeypatch, capsys):
    feed(monkeypatch, [7])
    assert play(7) == 1
    assert capsys.readouterr().out == "correct in 1 guess\n"
""",
)

add(
    "input",
    "lines-until-eof",
    "Read until the end of input",
    handout=r"""
    Write `collect()` that calls `input()` again and again and returns the list of all the
    lines read, stopping when `input()` raises `EOFError` (the end of the input). Blank lines
    are kept.

    ```python
    >>> collect()      # with the lines "a", "", "b" and then the end of input
    ['a', '', 'b']
    ```
    """,
    starter=r"""
    def collect():
        pass
    """,
    solution=r"""
    def collect():
        lines = []
        while True:
            try:
                lines.append(input())
            except EOFError:
                return lines
    """,
    wrong=r"""
    def collect():
        lines = []
        while True:
            try:
                line = input()
            except EOFError:
                return lines
            if not line:
                return lines
            lines.append(line)
    """,
    tests=r"""
import io
import sys

from solution import collect


def test_fake_input_raising_eof(monkeypatch):
    answers = iter(["a", "", "b"])

    def fake_input(prompt=""):
        for answer in answers:
            return answer
        raise EOFError

    monkeypatch.setattr("builtins.input", fake_input)
    assert collect() == ["a", "", "b"]


def test_from_a_patched_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("x\ny\n\nz\n"))
    assert collect() == ["x", "y", "", "z"]


def test_empty_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert collect() == []
""",
)

add(
    "input",
    "read-grid",
    "Read a grid with readline",
    handout=r"""
    Write `read_grid()` that reads from `sys.stdin` with `sys.stdin.readline()`: first a line
    `rows cols`, then `rows` lines of `cols` whole numbers separated by spaces. Return the grid
    as a list of lists of `int`s. Anything after the grid is left unread.

    ```text
    2 3
    1 2 3
    4 5 6      ->  [[1, 2, 3], [4, 5, 6]]
    ```
    """,
    starter=r"""
    import sys


    def read_grid():
        pass
    """,
    solution=r"""
    import sys


    def read_grid():
        rows, cols = map(int, sys.stdin.readline().split())
        grid = []
        for _ in range(rows):
            row = [int(x) for x in sys.stdin.readline().split()]
            grid.append(row[:cols])
        return grid
    """,
    wrong=r"""
    import sys


    def read_grid():
        cols, rows = map(int, sys.stdin.readline().split())
        grid = []
        for _ in range(rows):
            row = [int(x) for x in sys.stdin.readline().split()]
            grid.append(row[:cols])
        return grid
    """,
    tests=r"""
import io
import sys

from solution import read_grid


def test_two_by_three(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("2 3\n1 2 3\n4 5 6\n"))
    assert read_grid() == [[1, 2, 3], [4, 5, 6]]


def test_rest_is_left_unread(monkeypatch):
    stdin = io.StringIO("1 2\n7 8\nrest\n")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert read_grid() == [[7, 8]]
    assert sys.stdin.read() == "rest\n"
""",
)

add(
    "input",
    "confirm",
    "A yes/no question",
    handout=r"""
    Write `confirm(question)` that asks `input(f"{question} [y/n] ")` and returns `True` for
    `y` or `yes` and `False` for `n` or `no`, ignoring case and surrounding spaces. For any
    other answer it asks again.

    ```text
    Delete everything? [y/n] maybe
    Delete everything? [y/n] YES      ->  True
    ```
    """,
    starter=r"""
    def confirm(question):
        pass
    """,
    solution=r"""
    def confirm(question):
        while True:
            answer = input(f"{question} [y/n] ").strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
    """,
    wrong=r"""
    def confirm(question):
        while True:
            answer = input(f"{question} [y/n] ").strip()
            if answer in ("y", "yes"):
                return True
            if answer in ("n", "no"):
                return False
    """,
    tests=r"""
import pytest

from solution import confirm


def feed(monkeypatch, answers):
    answers = list(answers)
    prompts = []

    def fake_input(prompt):
        prompts.append(prompt)
        if not answers:
            raise AssertionError("asked once too often")
        return answers.pop(0)

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


@pytest.mark.parametrize("answer, expected", [("y", True), ("no", False), (" YES ", True),
                                              ("N", False)])
def test_answers(monkeypatch, answer, expected):
    feed(monkeypatch, [answer])
    assert confirm("Go?") is expected


def test_asks_again(monkeypatch):
    prompts = feed(monkeypatch, ["maybe", "", "Yes"])
    assert confirm("Delete everything?") is True
    assert prompts == ["Delete everything? [y/n] "] * 3
""",
)

# ---------------------------------------------------------------------------------------------
# 11. recursion: about 900 frames deep, and memoised with functools.lru_cache

add(
    "recursion",
    "deep-sum",
    "Sum a deeply nested list",
    handout=r"""
    Write a **recursive** function `deep_sum(nested)` that returns the sum of all the numbers
    in a list whose items are numbers or lists of the same kind, nested to any depth (up to
    about 900 levels).

    ```python
    >>> deep_sum([1, [2, [3, [4]]], 5])
    15
    >>> deep_sum([[[]], [1], 2])
    3
    ```
    """,
    starter=r"""
    def deep_sum(nested):
        pass
    """,
    solution=r"""
    def deep_sum(nested):
        total = 0
        for item in nested:
            if isinstance(item, list):
                total += deep_sum(item)
            else:
                total += item
        return total
    """,
    wrong=r"""
    def deep_sum(nested):
        total = 0
        for item in nested:
            if isinstance(item, list):
                return total + deep_sum(item)
            total += item
        return total
    """,
    tests=r"""
from solution import deep_sum


def nest(depth):
    # [[...[[1], 1]..., 1], 1]: `depth` lists, each holding the next one and then a 1
    nested = []
    for _ in range(depth):
        nested = [nested, 1]
    return nested


def test_small():
    assert deep_sum([1, [2, [3, [4]]], 5]) == 15
    assert deep_sum([[[]], [1], 2]) == 3
    assert deep_sum([]) == 0


def test_items_after_a_nested_list_count():
    assert deep_sum([[1], 2, [3], 4]) == 10


def test_nine_hundred_levels():
    assert deep_sum(nest(900)) == 900
""",
)

add(
    "recursion",
    "factorial",
    "Recursive factorial",
    handout=r"""
    Write a **recursive** function `factorial(n)` for `n >= 0` (`factorial(0)` is 1). It must
    handle `n` up to 900. A negative `n` raises `ValueError`.

    ```python
    >>> factorial(5)
    120
    >>> factorial(0)
    1
    ```
    """,
    starter=r"""
    def factorial(n):
        pass
    """,
    solution=r"""
    def factorial(n):
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return 1
        return n * factorial(n - 1)
    """,
    wrong=r"""
    def factorial(n):
        if n < 0:
            raise ValueError("n must not be negative")
        if n <= 1:
            return n
        return n * factorial(n - 1)
    """,
    tests=r"""
import math

import pytest

from solution import factorial


@pytest.mark.parametrize("n, expected", [(0, 1), (1, 1), (5, 120), (10, 3_628_800)])
def test_small_values(n, expected):
    assert factorial(n) == expected


def test_nine_hundred():
    assert factorial(900) == math.factorial(900)


def test_negative():
    with pytest.raises(ValueError):
        factorial(-1)
""",
)

add(
    "recursion",
    "ackermann",
    "The Ackermann function",
    handout=r"""
    Write the Ackermann function `ackermann(m, n)` recursively, for `m, n >= 0`:

    - `ackermann(0, n)` is `n + 1`;
    - `ackermann(m, 0)` is `ackermann(m - 1, 1)` for `m > 0`;
    - otherwise `ackermann(m, n)` is `ackermann(m - 1, ackermann(m, n - 1))`.

    It grows very fast: it is only called with small values.

    ```python
    >>> ackermann(2, 3)
    9
    ```
    """,
    starter=r"""
    def ackermann(m, n):
        pass
    """,
    solution=r"""
    def ackermann(m, n):
        if m == 0:
            return n + 1
        if n == 0:
            return ackermann(m - 1, 1)
        return ackermann(m - 1, ackermann(m, n - 1))
    """,
    wrong=r"""
    def ackermann(m, n):
        if m == 0:
            return n + 1
        if n == 0:
            return ackermann(m - 1, 0)
        return ackermann(m - 1, ackermann(m, n - 1))
    """,
    tests=r"""
import pytest

from solution import ackermann


@pytest.mark.parametrize("m, n, expected", [(0, 0, 1), (0, 5, 6), (1, 0, 2), (1, 3, 5),
                                            (2, 3, 9), (3, 3, 61)])
def test_values(m, n, expected):
    assert ackermann(m, n) == expected


def test_a_deeper_one():
    assert ackermann(3, 5) == 253
""",
)

add(
    "recursion",
    "memo-fibonacci",
    "Fibonacci with lru_cache",
    handout=r"""
    Write a recursive `fib(n)` (`fib(0)` is 0, `fib(1)` is 1, then each is the sum of the two
    before) decorated with `functools.lru_cache(maxsize=None)` so that it is fast: it is called
    with `n` up to 400.

    ```python
    >>> fib(10)
    55
    >>> fib(100)
    354224848179261915075
    ```
    """,
    starter=r"""
    import functools


    def fib(n):
        pass
    """,
    solution=r"""
    import functools


    @functools.lru_cache(maxsize=None)
    def fib(n):
        if n < 2:
            return n
        return fib(n - 1) + fib(n - 2)
    """,
    wrong=r"""
    import functools


    @functools.lru_cache(maxsize=None)
    def fib(n):
        if n < 2:
            return 1
        return fib(n - 1) + fib(n - 2)
    """,
    tests=r"""
import solution


def test_small_values():
    assert [solution.fib(n) for n in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]


def test_hundred():
    assert solution.fib(100) == 354224848179261915075


def test_four_hundred_from_a_cold_cache():
    solution.fib.cache_clear()
    value = solution.fib(400)
    assert value % 1_000_000 == 19_675
    assert len(str(value)) == 84


def test_the_cache_is_used():
    solution.fib.cache_clear()
    solution.fib(50)
    info = solution.fib.cache_info()
    assert info.hits > 0
    assert info.currsize == 51
""",
)

add(
    "recursion",
    "grid-paths",
    "Count paths with memoisation",
    handout=r"""
    On a grid you start at the top-left corner and may only move right or down. Write a
    recursive `paths(rows, cols)` that returns the number of different paths to the cell
    `rows` steps down and `cols` steps right (`paths(0, 0)` is 1: you are there). Memoise it
    with `functools.lru_cache` so that `paths(16, 16)` is instant.

    ```python
    >>> paths(1, 1), paths(2, 2), paths(0, 5)
    (2, 6, 1)
    ```
    """,
    starter=r"""
    import functools


    def paths(rows, cols):
        pass
    """,
    solution=r"""
    import functools


    @functools.lru_cache(maxsize=None)
    def paths(rows, cols):
        if rows == 0 or cols == 0:
            return 1
        return paths(rows - 1, cols) + paths(rows, cols - 1)
    """,
    wrong=r"""
    import functools


    @functools.lru_cache(maxsize=None)
    def paths(rows, cols):
        if rows == 0 and cols == 0:
            return 1
        if rows == 0 or cols == 0:
            return 0
        return paths(rows - 1, cols) + paths(rows, cols - 1)
    """,
    tests=r"""
import math

from solution import paths


def test_small_grids():
    assert paths(0, 0) == 1
    assert paths(1, 1) == 2
    assert paths(2, 2) == 6
    assert paths(0, 5) == 1


def test_big_grid():
    assert paths(16, 16) == math.comb(32, 16)
    assert paths(30, 20) == math.comb(50, 20)
""",
)

add(
    "recursion",
    "subsets",
    "All subsets",
    handout=r"""
    Write a recursive `subsets(items)` that returns all the subsets of the list `items` as
    lists, in this order: first all subsets without the first item, then all subsets with it
    (each built the same way from the rest of the list). The empty list has one subset, `[]`.

    ```python
    >>> subsets([1, 2])
    [[], [2], [1], [1, 2]]
    ```
    """,
    starter=r"""
    def subsets(items):
        pass
    """,
    solution=r"""
    def subsets(items):
        if not items:
            return [[]]
        rest = subsets(items[1:])
        return rest + [[items[0]] + subset for subset in rest]
    """,
    wrong=r"""
    def subsets(items):
        if len(items) == 1:
            return [[], list(items)]
        if not items:
            return []
        rest = subsets(items[1:])
        return rest + [[items[0]] + subset for subset in rest]
    """,
    tests=r"""
from solution import subsets


def test_two_items():
    assert subsets([1, 2]) == [[], [2], [1], [1, 2]]


def test_three_items():
    assert subsets(["a", "b", "c"]) == [
        [], ["c"], ["b"], ["b", "c"], ["a"], ["a", "c"], ["a", "b"], ["a", "b", "c"]
    ]


def test_empty_list_has_one_subset():
    assert subsets([]) == [[]]


def test_count():
    assert len(subsets(list(range(12)))) == 4096
""",
)

add(
    "recursion",
    "permutations",
    "Distinct permutations",
    handout=r"""
    Write a recursive `permutations(word)` that returns the sorted list of all the
    **distinct** strings made by rearranging the letters of `word` (a word with repeated
    letters has fewer). Do not use `itertools`.

    ```python
    >>> permutations("abc")
    ['abc', 'acb', 'bac', 'bca', 'cab', 'cba']
    >>> permutations("aab")
    ['aab', 'aba', 'baa']
    ```
    """,
    starter=r"""
    def permutations(word):
        pass
    """,
    solution=r"""
    def permutations(word):
        if len(word) <= 1:
            return [word]
        found = set()
        for i, letter in enumerate(word):
            for rest in permutations(word[:i] + word[i + 1 :]):
                found.add(letter + rest)
        return sorted(found)
    """,
    wrong=r"""
    def permutations(word):
        if len(word) <= 1:
            return [word]
        found = []
        for i, letter in enumerate(word):
            for rest in permutations(word[:i] + word[i + 1 :]):
                found.append(letter + rest)
        return sorted(found)
    """,
    tests=r"""
import math

from solution import permutations


def test_three_letters():
    assert permutations("abc") == ["abc", "acb", "bac", "bca", "cab", "cba"]


def test_repeated_letters():
    assert permutations("aab") == ["aab", "aba", "baa"]
    assert permutations("aaaa") == ["aaaa"]


def test_short_words():
    assert permutations("x") == ["x"]
    assert permutations("") == [""]


def test_count_for_a_longer_word():
    assert len(permutations("letters")) == math.factorial(7) // (2 * 2)
""",
)

add(
    "recursion",
    "binary-search",
    "Recursive binary search",
    handout=r"""
    Write a recursive `find(items, target, lo=0, hi=None)` that returns the index of `target`
    in the sorted list `items`, or `-1` if it is not there, looking only at `items[lo:hi]`
    (`hi=None` means the end of the list) and halving that range at each call.

    ```python
    >>> find([1, 3, 5, 7, 9], 7)
    3
    >>> find([1, 3, 5, 7, 9], 4)
    -1
    ```
    """,
    starter=r"""
    def find(items, target, lo=0, hi=None):
        pass
    """,
    solution=r"""
    def find(items, target, lo=0, hi=None):
        if hi is None:
            hi = len(items)
        if lo >= hi:
            return -1
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            return find(items, target, mid + 1, hi)
        return find(items, target, lo, mid)
    """,
    wrong=r"""
    def find(items, target, lo=0, hi=None):
        if hi is None:
            hi = len(items) - 1
        if lo >= hi:
            return -1
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            return find(items, target, mid + 1, hi)
        return find(items, target, lo, mid)
    """,
    tests=r"""
import pytest

from solution import find

ODDS = [1, 3, 5, 7, 9]


@pytest.mark.parametrize("target, index", [(1, 0), (5, 2), (7, 3), (9, 4)])
def test_found(target, index):
    assert find(ODDS, target) == index


@pytest.mark.parametrize("target", [0, 4, 10])
def test_not_found(target):
    assert find(ODDS, target) == -1


def test_empty_and_single():
    assert find([], 1) == -1
    assert find([2], 2) == 0


def test_large_list():
    items = list(range(0, 300_000, 3))
    assert find(items, 299_997) == 99_999
    assert find(items, 1) == -1
""",
)

add(
    "recursion",
    "hanoi",
    "Towers of Hanoi",
    handout=r"""
    Write a recursive `hanoi(n, source, target, spare)` that returns the list of moves, each a
    tuple `(from_peg, to_peg)`, that moves a tower of `n` disks from peg `source` to peg
    `target` (moving one disk at a time, never a larger disk on a smaller one) in the fewest
    moves: move `n - 1` disks out of the way to `spare`, move the largest, then move the
    `n - 1` disks onto it.

    ```python
    >>> hanoi(2, "A", "C", "B")
    [('A', 'B'), ('A', 'C'), ('B', 'C')]
    ```
    """,
    starter=r"""
    def hanoi(n, source, target, spare):
        pass
    """,
    solution=r"""
    def hanoi(n, source, target, spare):
        if n == 0:
            return []
        return (
            hanoi(n - 1, source, spare, target)
            + [(source, target)]
            + hanoi(n - 1, spare, target, source)
        )
    """,
    wrong=r"""
    def hanoi(n, source, target, spare):
        if n == 0:
            return []
        return (
            hanoi(n - 1, source, target, spare)
            + [(source, target)]
            + hanoi(n - 1, spare, target, source)
        )
    """,
    tests=r"""
from solution import hanoi


def play(n, moves):
    pegs = {"A": list(range(n, 0, -1)), "B": [], "C": []}
    for src, dst in moves:
        disk = pegs[src].pop()
        assert not pegs[dst] or pegs[dst][-1] > disk, "larger disk on a smaller one"
        pegs[dst].append(disk)
    return pegs


def test_two_disks():
    assert hanoi(2, "A", "C", "B") == [("A", "B"), ("A", "C"), ("B", "C")]


def test_no_disks():
    assert hanoi(0, "A", "C", "B") == []


def test_ten_disks_are_moved_legally():
    moves = hanoi(10, "A", "C", "B")
    assert len(moves) == 1023
    assert play(10, moves) == {"A": [], "B": [], "C": list(range(10, 0, -1))}
""",
)

add(
    "recursion",
    "nesting-depth",
    "How deep is a nested list?",
    handout=r"""
    Write a recursive `depth(value)`: a value that is not a list has depth 0, and a list has
    depth 1 + the largest depth of its items (an empty list has depth 1). Lists can be nested
    about 900 levels deep, so keep to one frame per level: a plain `for` loop, not
    `max(depth(x) for x in value)` (the generator expression adds a frame of its own).

    ```python
    >>> depth([1, [2, [3]], []])
    3
    >>> depth(5), depth([])
    (0, 1)
    ```
    """,
    starter=r"""
    def depth(value):
        pass
    """,
    solution=r"""
    def depth(value):
        if not isinstance(value, list):
            return 0
        deepest = 0
        for item in value:
            deepest = max(deepest, depth(item))
        return 1 + deepest
    """,
    wrong=r"""
    def depth(value):
        if not isinstance(value, list):
            return 0
        if not value:
            return 1
        return 1 + depth(value[0])
    """,
    tests=r"""
from solution import depth


def nest(levels):
    value = "core"
    for _ in range(levels):
        value = [0, value]
    return value


def test_small():
    assert depth([1, [2, [3]], []]) == 3
    assert depth(5) == 0
    assert depth([]) == 1
    assert depth("text") == 0


def test_deepest_item_is_not_first():
    assert depth([[], [[[]]]]) == 4


def test_nine_hundred_levels():
    assert depth(nest(900)) == 900
""",
)

add(
    "recursion",
    "palindrome",
    "Recursive palindrome check",
    handout=r"""
    Write a recursive `is_palindrome(text)` that returns `True` if `text` reads the same
    backwards: compare the first and last characters, then check what is between them. Strings
    can be up to 1 800 characters long (so the recursion goes 900 calls deep).

    ```python
    >>> is_palindrome("racecar"), is_palindrome("ab"), is_palindrome("")
    (True, False, True)
    ```
    """,
    starter=r"""
    def is_palindrome(text):
        pass
    """,
    solution=r"""
    def is_palindrome(text):
        if len(text) < 2:
            return True
        return text[0] == text[-1] and is_palindrome(text[1:-1])
    """,
    wrong=r"""
    def is_palindrome(text):
        if len(text) < 2:
            return True
        return text[0] == text[-1] or is_palindrome(text[1:-1])
    """,
    tests=r"""
from solution import is_palindrome


def test_small():
    assert is_palindrome("racecar") is True
    assert is_palindrome("abba") is True
    assert is_palindrome("ab") is False
    assert is_palindrome("") is True


def test_only_the_ends_match():
    assert is_palindrome("abca") is False


def test_long_strings():
    half = "".join(chr(97 + i % 26) for i in range(900))
    assert is_palindrome(half + half[::-1]) is True
    assert is_palindrome(half + "x" + half[::-1][1:]) is False
""",
)


add(
    "classes",
    "queue-unittest",
    "A queue, tested with unittest",
    handout=r"""
    Write a class `Queue` with `enqueue(item)`, `dequeue()` (the oldest item; `IndexError`
    when empty), `peek()` and `len(queue)`.
    """,
    starter=r"""
    class Queue:
        pass
    """,
    solution=r"""
    from collections import deque


    class Queue:
        def __init__(self):
            self._items = deque()

        def enqueue(self, item):
            self._items.append(item)

        def dequeue(self):
            if not self._items:
                raise IndexError("dequeue from an empty queue")
            return self._items.popleft()

        def peek(self):
            if not self._items:
                raise IndexError("peek at an empty queue")
            return self._items[0]

        def __len__(self):
            return len(self._items)
    """,
    wrong=r"""
    class Queue:
        def __init__(self):
            self._items = []

        def enqueue(self, item):
            self._items.append(item)

        def dequeue(self):
            return self._items.pop()

        def peek(self):
            return self._items[-1]

        def __len__(self):
            return len(self._items)
    """,
    tests=r"""
import unittest

from solution import Queue


class TestQueue(unittest.TestCase):
    def setUp(self):
        self.queue = Queue()
        for item in ("a", "b", "c"):
            self.queue.enqueue(item)

    def test_first_in_first_out(self):
        self.assertEqual([self.queue.dequeue() for _ in range(3)], ["a", "b", "c"])

    def test_peek_leaves_the_item(self):
        self.assertEqual(self.queue.peek(), "a")
        self.assertEqual(len(self.queue), 3)

    def test_empty_queue_raises(self):
        empty = Queue()
        with self.assertRaises(IndexError):
            empty.dequeue()
        self.assertEqual(len(empty), 0)

    @unittest.skip("kept for a later version of the assignment")
    def test_not_yet(self):
        self.fail("skipped tests do not run")
""",
)


add(
    "classes",
    "temperature-pytest-class",
    "Temperatures, tested in a pytest class",
    handout=r"""
    Write `Temperature(celsius)` with a `fahrenheit` property, `str(t)` like `"21.5 °C"`, and
    comparisons between temperatures (`<`, `==`).
    """,
    starter=r"""
    class Temperature:
        pass
    """,
    solution=r"""
    import functools


    @functools.total_ordering
    class Temperature:
        def __init__(self, celsius):
            self.celsius = celsius

        @property
        def fahrenheit(self):
            return self.celsius * 9 / 5 + 32

        def __str__(self):
            return f"{self.celsius} °C"

        def __eq__(self, other):
            return self.celsius == other.celsius

        def __lt__(self, other):
            return self.celsius < other.celsius
    """,
    wrong=r"""
    class Temperature:
        def __init__(self, celsius):
            self.celsius = celsius

        @property
        def fahrenheit(self):
            return self.celsius * 9 / 5 + 23

        def __str__(self):
            return f"{self.celsius} °C"

        def __eq__(self, other):
            return self.celsius == other.celsius

        def __lt__(self, other):
            return self.celsius < other.celsius
    """,
    tests=r"""
import pytest

from solution import Temperature


class TestTemperature:
    def setup_method(self, method):
        self.warm = Temperature(21.5)

    @pytest.mark.parametrize(("celsius", "fahrenheit"), [(0, 32), (100, 212), (-40, -40)])
    def test_fahrenheit(self, celsius, fahrenheit):
        assert Temperature(celsius).fahrenheit == pytest.approx(fahrenheit)

    def test_str(self):
        assert str(self.warm) == "21.5 °C"

    def test_order(self):
        cold = Temperature(-3)
        assert cold < self.warm and self.warm == Temperature(21.5)
        assert sorted([self.warm, cold])[0] == cold
""",
)


add(
    "stdlib-values",
    "word-index-views",
    "Words and their lines (dict views)",
    handout=r"""
    Write `index(lines)` returning a dict from each word to the sorted list of line numbers
    (from 1) it appears on, and `words(lines)` returning the index's keys (a dict view).
    """,
    starter=r"""
    def index(lines):
        pass


    def words(lines):
        pass
    """,
    solution=r"""
    def index(lines):
        found = {}
        for number, line in enumerate(lines, start=1):
            for word in line.split():
                numbers = found.setdefault(word.lower(), [])
                if number not in numbers:
                    numbers.append(number)
        return found


    def words(lines):
        return index(lines).keys()
    """,
    wrong=r"""
    def index(lines):
        found = {}
        for number, line in enumerate(lines):
            for word in line.split():
                found.setdefault(word.lower(), []).append(number)
        return found


    def words(lines):
        return index(lines).keys()
    """,
    tests=r"""
import unittest

from solution import index, words

LINES = ["the cat", "The dog", "a cat and a dog"]


class IndexTest(unittest.TestCase):
    def test_index(self):
        self.assertEqual(index(LINES)["cat"], [1, 3])
        self.assertEqual(index(LINES)["the"], [1, 2])

    def test_words_is_a_view_equal_to_a_set(self):
        self.assertEqual(words(LINES), {"the", "cat", "dog", "a", "and"})
        self.assertIn("dog", words(LINES))

    def test_items(self):
        self.assertIn(("a", [3]), index(LINES).items())
""",
)


add(
    "input",
    "file-word-count",
    "Count the words of a file",
    handout=r"""
    Write `word_counts(path)` that reads the text file at `path` (a `str` or a
    `pathlib.Path`) and returns a `collections.Counter` of its words, lower-cased, where a
    word is a run of letters.
    """,
    starter=r"""
    def word_counts(path):
        pass
    """,
    solution=r"""
    import collections
    import re


    def word_counts(path):
        with open(path, encoding="utf-8") as f:
            return collections.Counter(re.findall(r"[a-z]+", f.read().lower()))
    """,
    wrong=r"""
    import collections


    def word_counts(path):
        with open(path, encoding="utf-8") as f:
            return collections.Counter(f.read().split())
    """,
    tests=r"""
import pytest

from solution import word_counts


@pytest.fixture
def poem(tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text("The cat.\nthe CAT, the hat!\n", encoding="utf-8")
    return path


def test_counts_words_of_a_path(poem):
    assert word_counts(poem) == {"the": 3, "cat": 2, "hat": 1}


def test_takes_a_string_too(poem):
    assert word_counts(str(poem)).most_common(1) == [("the", 3)]


def test_an_empty_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert word_counts(empty) == {}
""",
)


if __name__ == "__main__":
    sys.exit(main())
