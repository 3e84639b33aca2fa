"""Parsing and validating problem-set records."""

import json
from pathlib import Path

import pytest

from events import Limits
from grindstone_cli.problemset import InvalidRecord, parse
from tests.unit.cli.records import jsonl, record

DATA = Path(__file__).resolve().parents[2] / "data"


def error_of(text: str) -> str:
    with pytest.raises(InvalidRecord) as caught:
        parse(text)
    return str(caught.value)


def test_a_record_keeps_its_fields_and_maps_the_test_style() -> None:
    (parsed,) = parse(jsonl(record()))
    assert (parsed.line, parsed.source_id, parsed.title) == (1, "demo/add", "Add (demo/add)")
    assert (parsed.test_style, parsed.entry_point) == ("module", "add")
    assert parsed.starter == "def add(a, b):\n    pass\n"


def test_module_records_may_name_no_entry_point() -> None:
    (parsed,) = parse(jsonl(record(entry_point=None)))
    assert (parsed.test_style, parsed.entry_point) == ("module", None)


def test_stdio_records_need_no_entry_point() -> None:
    (parsed,) = parse(jsonl(record(test_style="stdio:solution.py", entry_point=None)))
    assert (parsed.test_style, parsed.entry_point) == ("stdio", None)


def test_missing_limits_take_the_defaults_and_given_ones_override_them() -> None:
    plain, tuned = parse(jsonl(record("a"), record("b", limits={"wall_ms": 9000})))
    assert plain.limits == Limits()
    assert tuned.limits == Limits(wall_ms=9000)


def test_blank_lines_are_skipped_but_counted() -> None:
    text = "\n" + jsonl(record("a")) + "   \n" + jsonl(record("b"))
    assert [r.line for r in parse(text)] == [2, 4]


def test_fields_we_do_not_use_are_ignored() -> None:
    (parsed,) = parse(jsonl(record(original={"anything": 1}, license="MIT")))
    assert parsed.source_id == "demo/add"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": 5}, "line 2: field 'title': Expected `str`, got `int`"),
        ({"title": "  "}, "line 2 (id 'demo/add'): field 'title': must not be blank"),
        ({"id": ""}, "line 2: field 'id': Expected `str` of length >= 1"),
        ({"test_style": "module"}, "field 'test_style': 'module' is not 'module:solution' or"),
        ({"entry_point": "not a name"}, "field 'entry_point': 'not a name' is not a function"),
        ({"tests": "def broken(:\n"}, "field 'tests': not valid Python (line 1:"),
        ({"tests": "x = 1\n"}, "field 'tests': defines no test function"),
        ({"limits": {"wall_ms": 5}}, "field 'limits.wall_ms': Expected `int` >= 100"),
        ({"limits": {"wall_ms": "fast"}}, "field 'limits.wall_ms': Expected `int`, got `str`"),
        ({"limits": {"wall_msec": 900}}, "field 'limits': unknown key 'wall_msec'"),
        ({"limits": [1]}, "field 'limits': Expected `object | null`, got `array`"),
    ],
)
def test_an_invalid_field_is_named_with_its_line(fields: dict, expected: str) -> None:
    assert expected in error_of(jsonl(record("ok"), record(**fields)))


def test_a_missing_field_is_named() -> None:
    incomplete = {k: v for k, v in record().items() if k != "tests"}
    assert error_of(jsonl(incomplete)) == "line 1: field 'tests': missing"


def test_malformed_json_names_the_line() -> None:
    text = jsonl(record("a")) + '{"id": "b", \n'
    assert error_of(text).startswith("line 2: not valid JSON")


def test_a_line_that_is_not_an_object_is_refused() -> None:
    assert error_of("[1, 2]\n").startswith("line 1: a record must be a JSON object")


def test_a_repeated_id_names_both_lines() -> None:
    text = jsonl(record("a"), record("b"), record("a"))
    assert error_of(text) == "line 3: field 'id': 'a' is already used on line 1"


@pytest.mark.parametrize(("name", "count"), [("humaneval.jsonl", 164), ("kattis.jsonl", 3)])
def test_the_shared_problem_sets_are_valid(name: str, count: int) -> None:
    records = parse((DATA / name).read_text())
    assert len(records) == count
    assert len({r.source_id for r in records}) == count


def test_humaneval_records_are_module_style_and_kattis_ones_stdio() -> None:
    humaneval = parse((DATA / "humaneval.jsonl").read_text())
    kattis = parse((DATA / "kattis.jsonl").read_text())
    assert {(r.test_style, r.entry_point is None) for r in humaneval} == {("module", False)}
    assert {(r.test_style, r.entry_point) for r in kattis} == {("stdio", None)}
    first = json.loads((DATA / "humaneval.jsonl").read_text().splitlines()[0])
    assert (humaneval[0].source_id, humaneval[0].tests) == (first["id"], first["tests"])
