"""Build curriculum.jsonl from the sources in src/ (one folder per assignment)."""

import json
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SOURCES = ROOT / "src"
HARNESS = ROOT / "harness"
OUTPUT = ROOT / "curriculum.jsonl"
ID_PREFIX = "grindstone/"
STDIO = "stdio:solution.py"


def _code(path: Path) -> str:
    """A source file without its lint pragmas (they only matter inside src/)."""
    lines = path.read_text().splitlines(keepends=True)
    return "".join(line for line in lines if not line.startswith("# ruff: noqa"))


def tests_module(source_id: str, test_style: str, body: str) -> str:
    """The complete test module: prelude, the stdio helper when needed, the tests, the runner."""
    parts = [f"# Tests for {source_id} (Grindstone curriculum).\n", _code(HARNESS / "prelude.py")]
    if test_style == STDIO:
        parts.append(_code(HARNESS / "stdio.py"))
    parts += [body, _code(HARNESS / "runner.py")]
    return "\n\n\n".join(part.strip("\n") for part in parts) + "\n"


def record(folder: Path) -> dict[str, Any]:
    meta = tomllib.loads((folder / "assignment.toml").read_text())
    source_id = ID_PREFIX + folder.name
    fields: dict[str, Any] = {
        "id": source_id,
        "title": meta["title"],
        "handout": (folder / "handout.md").read_text(),
        "starter": _code(folder / "starter.py"),
        "solution": _code(folder / "solution.py"),
        "wrong_solution": _code(folder / "wrong_solution.py"),
        "tests": tests_module(source_id, meta["test_style"], _code(folder / "tests.py")),
        "test_style": meta["test_style"],
        "entry_point": meta.get("entry_point"),
        "source": "grindstone",
    }
    if "limits" in meta:
        fields["limits"] = meta["limits"]
    return fields


def build() -> str:
    folders = sorted(p for p in SOURCES.iterdir() if (p / "assignment.toml").exists())
    return "".join(json.dumps(record(f), ensure_ascii=False) + "\n" for f in folders)


def main() -> int:
    OUTPUT.write_text(build())
    print(f"wrote {OUTPUT.relative_to(ROOT.parent)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
