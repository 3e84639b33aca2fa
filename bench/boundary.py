"""What crossing the boundary between the judge and the student's process costs, per case:

    python -m bench.boundary [--repeat 5]

Each case is one sandboxed job (a module-style test that does the thing once); the figure is
the job's wall time, median of `--repeat` runs, with a trivial job's beside it as the baseline.
"""

import argparse
import asyncio
import statistics
import time

from events import Limits
from services.grader import verdict
from services.grader.sandbox import Sandbox, SandboxJob

NODES = 10_000
CODE = """
def nothing():
    return None


def total(head):
    s = 0
    while head is not None:
        s += head.val
        head = head.next
    return s


def reverse(head):
    prev = None
    while head is not None:
        head.next, prev, head = prev, head, head.next
    return prev


def size(root):
    return 0 if root is None else 1 + size(root.left) + size(root.right)


class Node:
    def __init__(self, val, next=None):
        self.val, self.next = val, next


def build(n):
    head = None
    for v in range(n):
        head = Node(v, head)
    return head


def squares(n):
    for i in range(n):
        yield i * i


def double(xs):
    for i in range(len(xs)):
        xs[i] *= 2
"""
PRELUDE = f"""
import solution

N = {NODES}


class ListNode:
    def __init__(self, val, next=None):
        self.val, self.next = val, next


class TreeNode:
    def __init__(self, val, left=None, right=None):
        self.val, self.left, self.right = val, left, right


def linked(n):
    head = None
    for v in range(n):
        head = ListNode(v, head)
    return head


def tree(lo, hi):
    if lo > hi:
        return None
    mid = (lo + hi) // 2
    return TreeNode(mid, tree(lo, mid - 1), tree(mid + 1, hi))
"""
CASES = {
    "trivial job (baseline)": "def test_it():\n    assert solution.nothing() is None\n",
    "1000 calls of a function": (
        "def test_it():\n    for _ in range(1000):\n        solution.nothing()\n"
    ),
    f"student walks the test's {NODES}-node list": (
        "def test_it():\n    assert solution.total(linked(N)) == N * (N - 1) // 2\n"
    ),
    f"student relinks the test's {NODES}-node list": (
        "def test_it():\n    head = linked(N)\n    new = solution.reverse(head)\n"
        "    assert new.val == 0 and head.next is None\n"
    ),
    f"student walks the test's {NODES}-node tree": (
        "def test_it():\n    assert solution.size(tree(1, N)) == N\n"
    ),
    f"test walks the student's {NODES}-node list": (
        "def test_it():\n    node, count = solution.build(N), 0\n"
        "    while node:\n        count += 1\n        node = node.next\n    assert count == N\n"
    ),
    f"test reads a {NODES}-item generator": (
        "def test_it():\n    assert len(list(solution.squares(N))) == N\n"
    ),
    "student doubles a 100 000-item list in place": (
        "def test_it():\n    xs = list(range(100_000))\n    solution.double(xs)\n"
        "    assert xs[-1] == 199_998\n"
    ),
}


async def main(repeat: int) -> None:
    box = Sandbox()
    await box.start()
    try:
        print(f"{'case':52}{'wall, median':>14}")
        for label, test in CASES.items():
            job = SandboxJob(code=CODE, tests=PRELUDE + test, test_style="module", limits=Limits())
            walls = []
            for _ in range(repeat):
                started = time.perf_counter()
                status, feedback = verdict.judge(await box.run(job))
                walls.append(time.perf_counter() - started)
                if status != "passed":
                    raise SystemExit(f"{label}: {feedback.message}")
            print(f"{label:52}{statistics.median(walls) * 1000:>11.1f} ms")
    finally:
        await box.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    asyncio.run(main(parser.parse_args().repeat))
