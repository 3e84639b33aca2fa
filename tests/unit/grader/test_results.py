"""results: the harness's JSON lines folded into one RunResult."""

from events import Limits
from services.grader.results import fold, parse_records


def test_records_fold_into_the_run_in_order():
    lines = [
        b'{"kind": "tests", "names": ["test_a", "test_b"]}',
        b'{"kind": "output", "text": "loading\\n"}',
        b'{"kind": "start", "name": "test_a"}',
        b'{"kind": "case", "name": "test_a", "outcome": "passed", "output": "hi\\n"}',
        b'{"kind": "start", "name": "test_b"}',
        b'{"kind": "limit", "limit": "memory"}',
    ]
    result = fold(parse_records(lines), Limits())
    assert result.names == ["test_a", "test_b"]
    assert [(c.name, c.outcome, c.output) for c in result.cases] == [("test_a", "passed", "hi\n")]
    assert (result.running, result.limit, result.output) == ("test_b", "memory", "loading\n")
    assert not result.finished


def test_lines_that_are_not_records_are_skipped():
    lines = [b"garbage", b'{"kind": "case"}', b'{"kind": "nope"}', b'{"kind": "done"}']
    result = fold(parse_records(lines), Limits())
    assert result.finished
    assert result.cases == []


def test_the_first_limit_reported_wins():
    lines = [b'{"kind": "limit", "limit": "output"}', b'{"kind": "limit", "limit": "memory"}']
    assert fold(parse_records(lines), Limits()).limit == "output"
