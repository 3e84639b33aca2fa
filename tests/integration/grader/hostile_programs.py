"""The hostile programs of hostile_programs.toml, the problems they are graded against, limits."""

import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from events import Limits
from tests.integration.grader.helpers import kattis

LIMITS = {
    "fast": Limits(wall_ms=5_000, cpu_ms=1_000, memory_mb=128, output_kb=64),
    "slow": Limits(wall_ms=20_000, cpu_ms=1_000, memory_mb=128, output_kb=64),  # CPU hogs
    "short": Limits(wall_ms=1_000, cpu_ms=1_000, memory_mb=128, output_kb=64),
    "small": Limits(wall_ms=5_000, cpu_ms=1_000, memory_mb=48, output_kb=64),
}
ANSWER = "answer-4f2a9c"  # what the sealed tests expect: only a leak could tell it
SECRET = "do-not-leak-7d1e"  # the grader's GRINDSTONE_SECRET in test_hostile.py

# each with a correct solution and the message it gets
RECORDS: dict[str, dict[str, Any]] = {
    "add": {
        "test_style": "module:solution",
        "entry_point": "add",
        "solution": "def add(a, b):\n    return a + b\n",
        "passed": "All 3 tests passed.",
        "tests": """
from solution import add


def test_add():
    assert add(2, 3) == 5


def test_add_zero():
    assert add(0, 0) == 0


def test_add_negative():
    assert add(-1, -1) == -2
""",
    },
    "probe": {
        "test_style": "module:solution",
        "entry_point": "probe",
        "solution": "def probe():\n    return None\n",
        "passed": "The test passed.",
        "tests": "from solution import probe\n\n\ndef test_probe():\n    assert probe() == None\n",
    },
    "sealed": {
        "test_style": "module:solution",
        "entry_point": "probe",
        "solution": f"def probe():\n    return {ANSWER!r}\n",
        "passed": "The test passed.",
        "tests": f"from solution import probe\n\nANSWER = {ANSWER!r}\n\n\n"
        "def test_probe():\n    assert probe() == ANSWER\n",
    },
    "different": {**kattis("different"), "passed": "All 3 tests passed."},
    # the tests lend their own objects (a node, a callback, a generator, a class): what they
    # hold in private attributes, closures, globals and frames must stay out of reach
    "lender": {
        "test_style": "module:solution",
        "entry_point": "probe",
        "solution": f"def probe(node, callback, numbers, kind):\n    return {ANSWER!r}\n",
        "passed": "The test passed.",
        "tests": f"""from solution import probe

ANSWER = {ANSWER!r}


class Node:
    def __init__(self, val):
        self.val = val
        self._answer = ANSWER

    def peek(self):
        return self.val


def make_callback():
    hidden = ANSWER

    def callback(x):
        return len(hidden) + x

    return callback


def numbers():
    secret = ANSWER
    yield len(secret)


def test_probe():
    node = Node(7)
    assert probe(node, make_callback(), numbers(), Node) == ANSWER
    assert node._answer == ANSWER and type(node) is Node and Node.__eq__ is object.__eq__
    assert node.peek() == 7 and "peek" not in vars(node) and "peek" in vars(Node)
""",
    },
}


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    messages: tuple[str, ...]  # the overall feedback (any of them)
    test: str | None  # the first test's own message, where it says more
    record: dict[str, Any]
    limits: Limits
    output_lacks: str | None  # what no output may show
    hole: str | None  # why it does not get its message yet


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _case(entry: dict[str, Any]) -> Case:
    return Case(
        name=entry["name"],
        code=entry["code"],
        messages=tuple(entry["message"]) if type(entry["message"]) is list else (entry["message"],),
        test=entry.get("test"),
        record=RECORDS[entry.get("record", "add")],
        limits=LIMITS[entry.get("limits", "fast")],
        output_lacks=entry.get("output_lacks"),
        hole=entry.get("hole"),
    )


_DATA = tomllib.loads(Path(__file__).with_suffix(".toml").read_text(encoding="utf-8"))
CASES = [_case(entry) for entry in _DATA["case"]]
NEIGHBOUR, SNOOPER = _DATA["neighbours"]["neighbour"], _DATA["neighbours"]["snooper"]
SNOOPED = _DATA["neighbours"]["message"]
