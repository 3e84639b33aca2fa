"""The standard library as the codec (values.py) sees it: what may cross by name, and the
pieces its plain data is rebuilt with (enums, namedtuple classes, time zones)."""

import builtins
import collections
import importlib
import sys
from builtins import getattr, isinstance, len  # noqa: UP029 - bound now: tests may patch builtins
from collections.abc import Callable
from typing import Any

from protocol import Unreadable

# What may cross by name: pure builtins and the standard library's pure modules. A name from
# the child is resolved only if it is here, so what it names cannot reach the judge's files.
SAFE_BUILTINS = frozenset(
    [
        "abs",
        "all",
        "any",
        "ascii",
        "bin",
        "bool",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "complex",
        "dict",
        "divmod",
        "enumerate",
        "filter",
        "float",
        "format",
        "frozenset",
        "hash",
        "hex",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "list",
        "map",
        "max",
        "min",
        "next",
        "object",
        "oct",
        "ord",
        "pow",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "slice",
        "sorted",
        "str",
        "sum",
        "tuple",
        "type",
        "zip",
        "NotImplemented",
        "Ellipsis",
    ]
)
SAFE_MODULES = frozenset(
    [
        "math",
        "cmath",
        "operator",
        "itertools",
        "functools",
        "collections",
        "collections.abc",
        "datetime",
        "fractions",
        "decimal",
        "statistics",
        "heapq",
        "bisect",
        "string",
        "re",
        "enum",
        "random",
        "calendar",
        "unicodedata",
        "textwrap",
        "numbers",
        "copy",
        "http",
        "zoneinfo",
    ]
)


SPECIAL = {
    "NoneType": type(None),
    "ellipsis": type(...),
    "NotImplementedType": type(NotImplemented),
}


def global_name(value: Any) -> str | None:
    """ "module:qualname" for a builtin or a pure standard-library function or class that is
    found again under that name; None for anything else."""
    for name, special in SPECIAL.items():
        if value is special:
            return f"builtins:{name}"
    module = getattr(value, "__module__", None)
    if module is None:  # a method of a builtin type (str.lower) names its type's module
        module = getattr(getattr(value, "__objclass__", None), "__module__", None)
    qualname = getattr(value, "__qualname__", None)
    if type(module) is not str or type(qualname) is not str or "<" in qualname:
        return None
    if module == "builtins":
        if qualname.split(".")[0] not in SAFE_BUILTINS and not is_exception(qualname):
            return None
    elif module not in SAFE_MODULES:
        return None
    try:
        found = resolve_global(f"{module}:{qualname}")
    except Unreadable:
        return None
    return f"{module}:{qualname}" if found is value else None


def is_exception(qualname: str) -> bool:
    found = getattr(builtins, qualname, None)
    return isinstance(found, type) and issubclass(found, BaseException)


def resolve_global(name: str) -> Any:
    module_name, _, qualname = name.partition(":")
    if module_name == "builtins" and qualname in SPECIAL:
        return SPECIAL[qualname]
    top = qualname.split(".")[0]
    if module_name == "builtins":
        if top not in SAFE_BUILTINS and not is_exception(top):
            raise Unreadable(f"{name} may not cross")
    elif module_name not in SAFE_MODULES:
        raise Unreadable(f"{name} may not cross")
    try:
        value: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            if part.startswith("__"):
                raise Unreadable(f"{name} may not cross")
            value = getattr(value, part)
    except (ImportError, AttributeError) as exc:
        raise Unreadable(f"{name}: {exc}") from None
    return value


def enum_name(value: Any) -> str | None:
    kind = type(value)
    if kind.__module__ in SAFE_MODULES:
        name = f"{kind.__module__}:{kind.__qualname__}"
        return name
    return None


def pure_namedtuple(kind: type) -> bool:
    """A class made by collections.namedtuple and nothing added: its instances are data."""
    fields = kind.__dict__.get("_fields")
    if kind.__bases__ != (tuple,) or type(fields) is not tuple:
        return False
    made = {"__doc__", "__slots__", "_fields", "_field_defaults", "__new__", "_make", "__module__"}
    made |= {"_replace", "__repr__", "_asdict", "__getnewargs__", "__match_args__", *fields}
    made |= {"__qualname__", "__dict__", "__weakref__"}
    return set(kind.__dict__) <= made


def datetime_kinds() -> tuple[type, ...]:
    datetime = sys.modules["datetime"]
    return (datetime.timedelta, datetime.date, datetime.datetime, datetime.time)


def zone(tz: Any) -> Any:
    if tz is None:
        return None
    key = getattr(tz, "key", None)
    if type(key) is str:
        return {"zone": key}
    offset = tz.utcoffset(None)
    if offset is None:
        return None
    return {"offset": offset.total_seconds(), "name": tz.tzname(None)}


def unzone(data: Any) -> Any:
    import datetime

    if data is None:
        return None
    if "zone" in data:
        import zoneinfo

        return zoneinfo.ZoneInfo(str(data["zone"]))
    offset = datetime.timedelta(seconds=float(data["offset"]))
    if offset == datetime.timedelta(0) and data.get("name") == "UTC":
        return datetime.UTC
    name = data.get("name")
    return datetime.timezone(offset, name) if type(name) is str else datetime.timezone(offset)


_NAMEDTUPLES: dict[tuple[str, tuple[str, ...]], type] = {}


def namedtuple_class(name: str, fields: tuple[str, ...]) -> Callable[..., Any]:
    """The reader's own class for a namedtuple of that name and fields (made once)."""
    key = (name, fields)
    if key not in _NAMEDTUPLES:
        if len(_NAMEDTUPLES) > 256:
            _NAMEDTUPLES.clear()
        _NAMEDTUPLES[key] = collections.namedtuple(name, fields)  # type: ignore[misc]
    return _NAMEDTUPLES[key]
