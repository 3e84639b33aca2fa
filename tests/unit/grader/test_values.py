"""values.py, the codec between the judge and the confined child: data crosses as data the
reader builds, identity and in-place changes cross, names cross only from the safe list."""

import collections
import datetime
import decimal
import enum
import fractions
import http
import json
import sys
import types
import zoneinfo
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "services" / "grader" / "inside"))
import values

Point = collections.namedtuple("Point", "x y")


def cross(value):
    """`value` written by one side and read by the other, through JSON as on the wire."""
    return values.Session().decode(json.loads(json.dumps(values.Session().encode(value))))


@pytest.mark.parametrize(
    "value",
    [
        collections.Counter("banana"),
        collections.OrderedDict([("b", 1), ("a", 2)]),
        collections.deque([1, 2, 3], maxlen=5),
        Point(1, 2),
        fractions.Fraction(1, 3),
        decimal.Decimal("1.10"),
        datetime.date(2024, 2, 29),
        datetime.datetime(2024, 1, 1, 12, 30, tzinfo=datetime.UTC),
        datetime.datetime(2024, 1, 1, 12, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
        datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=-3))),
        datetime.time(8, 15),
        datetime.timedelta(days=2, seconds=5, microseconds=7),
        range(1, 10, 2),
        http.HTTPStatus.NOT_FOUND,
        enum.Flag,
        types.SimpleNamespace(a=1, b=[2]),
        {"nested": [collections.Counter("ab"), (Point(0, 1), frozenset({1}))]},
        2**5000,
        bytearray(b"\x00\xff"),
        slice(1, None, 2),
    ],
    ids=repr,
)
def test_standard_library_data_crosses_as_itself(value):
    got = cross(value)
    assert got == value
    assert type(got) is type(value) or type(got).__name__ == "Point"  # the reader's namedtuple
    if isinstance(value, collections.deque):
        assert got.maxlen == 5
    if isinstance(value, datetime.datetime):
        assert got.utcoffset() == value.utcoffset()


def test_a_defaultdict_keeps_its_factory_and_a_namedtuple_its_fields():
    table = collections.defaultdict(list, {1: ["a"]})
    got = cross(table)
    assert got == {1: ["a"]} and got[2] == [] and got.default_factory is list
    point = cross(Point(3, 4))
    assert point == (3, 4) and point.x == 3 and point._fields == ("x", "y")


def test_identity_and_cycles_hold_within_a_value():
    inner = [1]
    outer = [inner, inner]
    outer.append(outer)
    got = cross(outer)
    assert got[0] is got[1] and got[2] is got


def test_what_the_reader_sent_comes_back_as_its_own_object():
    judge, child = values.Session(), values.Session()
    mine = [1, 2]
    theirs = child.decode(json.loads(json.dumps(judge.encode([mine]))))[0]
    assert judge.decode(child.encode(theirs)) is mine


def test_a_namedtuple_with_methods_of_its_own_is_not_data():
    class Sneaky(collections.namedtuple("Sneaky", "x")):
        def __eq__(self, other):
            return True

    with pytest.raises(values.NotPlain):
        values.Session().encode(Sneaky(1))


@pytest.mark.parametrize(
    "data",
    [
        {"global": "builtins:eval"},
        {"global": "builtins:open"},
        {"global": "builtins:__import__"},
        {"global": "os:system"},
        {"global": "subprocess:run"},
        {"global": "math:__loader__"},
        {"module": "os"},
        {"enum": ["os:PathLike", 1]},
        {"namedtuple": ["x y", ["a"], [1]]},
        {"unknown": 1},
    ],
)
def test_a_name_off_the_safe_list_is_refused(data):
    with pytest.raises(values.Unreadable):
        values.Session().decode(data)


def test_safe_names_cross_as_the_readers_own():
    import math

    assert cross(len) is len and cross(str.lower) is str.lower and cross(math.sqrt) is math.sqrt
    assert cross(ValueError) is ValueError and cross(collections.Counter) is collections.Counter


def test_sync_changes_the_original_in_place():
    original = {"a": [1]}
    values.sync(original, {"b": 2})
    assert original == {"b": 2}
    lst = [1, 2]
    values.sync(lst, [3])
    assert lst == [3]


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner) | st.tuples(inner, inner),
    max_leaves=20,
)


@given(plain)
def test_plain_data_round_trips(value):
    assert cross(value) == value
