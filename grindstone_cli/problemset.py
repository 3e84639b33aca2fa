"""Problem sets in JSON Lines (HumanEval, kattis, ours): parse and validate every record."""

import ast
import re
from pathlib import Path
from typing import Annotated, Any

import msgspec

from events import Limits, TestStyle

STYLES: dict[str, TestStyle] = {"module:solution": "module", "stdio:solution.py": "stdio"}
LIMIT_FIELDS = frozenset(f.name for f in msgspec.structs.fields(Limits))
MAX_ID_LENGTH = 200

Text = Annotated[str, msgspec.Meta(min_length=1)]


class _Raw(msgspec.Struct, kw_only=True):
    """The fields we read; any others (source, license, ...) are ignored."""

    id: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ID_LENGTH)]
    title: Text
    handout: str
    starter: str
    tests: Text
    test_style: str
    entry_point: str | None = None
    limits: dict[str, Any] | None = None
    solution: str | None = None
    wrong_solution: str | None = None


class Record(msgspec.Struct, frozen=True, kw_only=True):
    """One valid record, with the test style and limits as events carry them."""

    line: int
    source_id: str
    title: str
    handout: str
    starter: str
    tests: str
    test_style: TestStyle
    entry_point: str | None
    limits: Limits
    solution: str | None = None  # a reference solution: `assignments check` runs it
    wrong_solution: str | None = None  # one the tests must fail


class InvalidRecord(ValueError):
    """A record that cannot be loaded; the message names the line and the field."""


class InvalidFile(ValueError):
    """A file that cannot be read or holds an invalid record; the message names the file."""


def read(path: Path) -> list[Record]:
    """Every record of a problem-set file (UTF-8 JSON Lines)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFile(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return parse(text)
    except InvalidRecord as exc:
        raise InvalidFile(f"{path}: {exc}") from None


def parse(text: str) -> list[Record]:
    """Every record of a JSON Lines text (blank lines skipped); the first invalid one raises."""
    records: list[Record] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        record = parse_line(number, line)
        if record.source_id in seen:
            raise InvalidRecord(
                f"line {number}: field 'id': {record.source_id!r} is already used on line "
                f"{seen[record.source_id]}"
            )
        seen[record.source_id] = number
        records.append(record)
    return records


def parse_line(number: int, line: str) -> Record:
    try:
        raw = msgspec.json.decode(line, type=_Raw)
    except msgspec.DecodeError as exc:
        raise InvalidRecord(f"line {number}: {_explain(str(exc))}") from None
    try:
        return _record(number, raw)
    except ValueError as exc:
        raise InvalidRecord(f"line {number} (id {raw.id!r}): {exc}") from None


def _record(number: int, raw: _Raw) -> Record:
    if not raw.title.strip():
        raise ValueError("field 'title': must not be blank")
    style = STYLES.get(raw.test_style)
    if style is None:
        allowed = " or ".join(repr(s) for s in STYLES)
        raise ValueError(f"field 'test_style': {raw.test_style!r} is not {allowed}")
    if raw.entry_point is not None and not raw.entry_point.isidentifier():
        # null: the tests name what they use of the module (pytest style), no one function
        raise ValueError(f"field 'entry_point': {raw.entry_point!r} is not a function name")
    _check_tests(raw.tests)
    return Record(
        line=number,
        source_id=raw.id,
        title=raw.title,
        handout=raw.handout,
        starter=raw.starter,
        tests=raw.tests,
        test_style=style,
        entry_point=raw.entry_point,
        limits=_limits(raw.limits),
        solution=raw.solution,
        wrong_solution=raw.wrong_solution,
    )


def _check_tests(tests: str) -> None:
    try:
        tree = ast.parse(tests, "test_solution.py")
    except SyntaxError as exc:
        where = f"line {exc.lineno}: {exc.msg}"
        raise ValueError(f"field 'tests': not valid Python ({where})") from None
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    names = [n.name for n in tree.body if isinstance(n, functions)]
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):  # Test*, TestCase classes
        names += [n.name for n in cls.body if isinstance(n, functions)]
    if not any(name.startswith("test") for name in names):
        raise ValueError(
            "field 'tests': defines no test function (def test_..., or a test_ method of a "
            "test class)"
        )


def _limits(given: dict[str, Any] | None) -> Limits:
    unknown = sorted(set(given or {}) - LIMIT_FIELDS)
    if unknown:
        allowed = ", ".join(sorted(LIMIT_FIELDS))
        raise ValueError(f"field 'limits': unknown key {unknown[0]!r} (allowed: {allowed})")
    try:
        return msgspec.convert(given or {}, Limits)
    except msgspec.ValidationError as exc:
        raise ValueError(_explain(str(exc), prefix="limits.")) from None


_AT_PATH = re.compile(r"^(?P<what>.*?) - at `\$(?:\.(?P<path>[\w.\[\]]+))?`$")
_MISSING = re.compile(r"^Object missing required field `(?P<field>\w+)`$")


def _explain(message: str, prefix: str = "") -> str:
    """msgspec's message, reworded to name the field first."""
    if match := _MISSING.match(message):
        return f"field '{prefix}{match['field']}': missing"
    if (match := _AT_PATH.match(message)) and match["path"]:
        return f"field '{prefix}{match['path']}': {match['what']}"
    if message.startswith(("JSON is malformed", "Input data was truncated")):
        return f"not valid JSON ({message})"
    if message.startswith("Expected `object`"):
        return f"a record must be a JSON object ({message})"
    return message
