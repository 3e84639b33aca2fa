"""Small problem-set records for the command line's tests."""

import json
from typing import Any

TESTS = (
    "from solution import add\n\n\n"
    "def test_adds():\n"
    "    got = add(1, 2)\n"
    "    expected = 3\n"
    "    assert got == expected\n"
)


def record(source_id: str = "demo/add", **fields: Any) -> dict[str, Any]:
    base = {
        "id": source_id,
        "title": f"Add ({source_id})",
        "handout": "# Add\n\nReturn `a + b`.\n",
        "starter": "def add(a, b):\n    pass\n",
        "solution": "def add(a, b):\n    return a + b\n",
        "tests": TESTS,
        "test_style": "module:solution",
        "entry_point": "add",
    }
    return {**base, **fields}


def jsonl(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)
