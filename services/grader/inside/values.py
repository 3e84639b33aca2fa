"""Values between the judge and a confined child, as JSON. Standard library only.

What is data crosses as data, rebuilt by the reader with its own classes: builtin values
(None, bool, int, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset,
range, slice, dict views) and the standard library's plain data (Counter, defaultdict, OrderedDict,
deque, namedtuple instances, Fraction, Decimal, date, datetime, time, timedelta, enums of the
standard library, SimpleNamespace), nested in any way. A whatever-the-sender-says value never
brings its own `__eq__`: the reader builds it. Builtin and standard-library functions and
classes cross by name (`GLOBALS`). Anything else stays with its owner and crosses as a handle
(`peer.py`): the codec asks its `Handles` for one.

Mutable containers are numbered in the order they are written, per conversation (`Session`):
the same list twice, or a list inside itself, is written once and then referred to
({"same": n}); one the reader itself sent earlier is referred to by the reader's number
({"yours": n}). That is what keeps identity across the boundary and lets the child send back
what it changed in the containers it was given (write-back).
"""

import base64
import builtins
import collections
import enum
import importlib
import sys
import types
from builtins import callable, getattr, isinstance, len, max, range, setattr  # noqa: UP029 - bound now: tests may patch builtins
from collections.abc import Callable
from typing import Any

MAX_DEPTH = 3000  # nesting the codec follows (it raises the recursion limit to do so)
SCALARS = (type(None), bool, int, float, str)
_KEYS, _VALUES, _ITEMS = type({}.keys()), type({}.values()), type({}.items())
HANDLE_TAGS = ("o", "r", "cls", "rm")  # an object of the sender's, one of the reader's, ...

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


class NotPlain(Exception):
    """A value the codec cannot write (and its Handles would not name)."""


class Unreadable(ValueError):
    """Data that breaks the format, or names what it may not."""


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
        if qualname.split(".")[0] not in SAFE_BUILTINS and not _is_exception(qualname):
            return None
    elif module not in SAFE_MODULES:
        return None
    try:
        found = resolve_global(f"{module}:{qualname}")
    except Unreadable:
        return None
    return f"{module}:{qualname}" if found is value else None


def _is_exception(qualname: str) -> bool:
    found = getattr(builtins, qualname, None)
    return isinstance(found, type) and issubclass(found, BaseException)


def resolve_global(name: str) -> Any:
    module_name, _, qualname = name.partition(":")
    if module_name == "builtins" and qualname in SPECIAL:
        return SPECIAL[qualname]
    top = qualname.split(".")[0]
    if module_name == "builtins":
        if top not in SAFE_BUILTINS and not _is_exception(top):
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


def _stdlib_enum(value: Any) -> str | None:
    kind = type(value)
    if kind.__module__ in SAFE_MODULES:
        name = f"{kind.__module__}:{kind.__qualname__}"
        return name
    return None


def _pure_namedtuple(kind: type) -> bool:
    """A class made by collections.namedtuple and nothing added: its instances are data."""
    fields = kind.__dict__.get("_fields")
    if kind.__bases__ != (tuple,) or type(fields) is not tuple:
        return False
    made = {"__doc__", "__slots__", "_fields", "_field_defaults", "__new__", "_make", "__module__"}
    made |= {"_replace", "__repr__", "_asdict", "__getnewargs__", "__match_args__", *fields}
    made |= {"__qualname__", "__dict__", "__weakref__"}
    return set(kind.__dict__) <= made


class Handles:
    """What a codec needs from its side of the boundary (peer.py gives the real one)."""

    object_kinds: frozenset[type] | set[type] = frozenset()  # always `encode`'s, never data

    def claim(self, value: Any) -> Any:
        """A handle for a proxy of ours (the other side's object), or None."""
        return None

    def encode(self, value: Any, session: "Session") -> Any:
        raise NotPlain(type(value).__name__)

    def decode(self, tag: str, data: dict[str, Any], session: "Session") -> Any:
        raise Unreadable(f"no handles here ({tag})")


class Session:
    """One conversation's numbering of mutable containers, both ways."""

    def __init__(self, handles: Handles | None = None) -> None:
        self.handles = handles or Handles()
        self.mine: dict[int, int] = {}  # id(container we sent) -> our number
        self.kept: list[Any] = []  # our containers, by number (kept alive: ids stay theirs)
        self.theirs: list[Any] = []  # the containers we got, by their number
        self.their_ids: dict[int, int] = {}  # id(container we got) -> their number
        self.snaps: list[Any] = []  # objects whose attributes go with the message being written
        self.budget = 0  # how many more of them it may carry

    def shadow(self) -> "Session":
        """A session that writes as this one would, numbering nothing of it (fingerprints)."""
        other = Session(self.handles)
        other.theirs, other.their_ids = self.theirs, self.their_ids
        return other

    # writing

    def encode(self, value: Any) -> Any:
        return self._guarded(self._encode, value, 0)

    def _guarded(self, write: Callable[..., Any], *args: Any) -> Any:
        """`write(*args)` with room to recurse; what it numbered is undone if it fails."""
        limit, numbered = sys.getrecursionlimit(), len(self.kept)
        sys.setrecursionlimit(max(limit, MAX_DEPTH * 3 + 200))
        try:
            return write(*args)
        except (NotPlain, RecursionError) as exc:
            for kept in self.kept[numbered:]:  # nothing of a value not sent stays numbered
                del self.mine[id(kept)]
            del self.kept[numbered:]
            raise NotPlain(str(exc) or "nested too deeply") from None
        finally:
            sys.setrecursionlimit(limit)

    def guarded(self, write: Callable[..., Any], *args: Any) -> Any:
        """`write(*args)`, which calls `attrs_of`, as `encode` calls the codec."""
        return self._guarded(write, *args)

    def reading(self, read: Callable[..., Any], *args: Any) -> Any:
        """`read(*args)`, which calls `attrs_from`, as `decode` calls the codec."""
        return self._read(read, *args)

    def attrs_of(self, attrs: dict[str, Any]) -> list[list[Any]]:
        """An object's attributes: [name, value] pairs; the mapping itself is not numbered
        (it is not the object's: the owner makes it for the message). Within `guarded`."""
        encode = self._encode
        return [[name, encode(value, 1)] for name, value in attrs.items()]

    def attrs_from(self, pairs: Any) -> dict[str, Any]:
        """Within `reading`."""
        if type(pairs) is not list:
            raise Unreadable("attributes that are not a list")
        decode = self._decode
        return {str(name): decode(value) for name, value in pairs}

    def encode_attrs(self, attrs: dict[str, Any]) -> list[list[Any]]:
        return self._guarded(self.attrs_of, attrs)

    def decode_attrs(self, pairs: Any) -> dict[str, Any]:
        return self._read(self.attrs_from, pairs)

    def _encode(self, value: Any, depth: int) -> Any:
        kind = type(value)
        if kind in SCALARS:
            if kind is int and value.bit_length() > 4000:
                return {"int": hex(value)}
            return value
        if depth > MAX_DEPTH:
            raise NotPlain("nested too deeply")
        number = self.their_ids.get(id(value))
        if number is not None and self.theirs[number] is value:
            return {"yours": number}
        number = self.mine.get(id(value))
        if number is not None:
            return {"same": number}
        if kind in self.handles.object_kinds:  # seen before: always an object, never data
            return self.handles.encode(value, self)
        inner = depth + 1
        encode = self._encode
        if kind is list:
            self._number(value)
            if _all_small(value):  # the common case, without a call per item
                return list(value)
            return [encode(item, inner) for item in value]
        if kind is tuple:
            return {"tuple": [encode(item, inner) for item in value]}
        if kind is dict:
            self._number(value)
            return {"dict": self._pairs(value, inner)}
        if kind is set:
            self._number(value)
            return {"set": [encode(item, inner) for item in value]}
        if kind is frozenset:
            return {"frozenset": [encode(item, inner) for item in value]}
        if kind is bytes:
            return {"bytes": base64.b64encode(value).decode()}
        if kind is bytearray:
            self._number(value)
            return {"bytearray": base64.b64encode(value).decode()}
        if kind is complex:
            return {"complex": [value.real, value.imag]}
        if kind is slice or kind is range:
            parts = [encode(part, inner) for part in (value.start, value.stop, value.step)]
            return {kind.__name__: parts}
        claimed = self.handles.claim(value)
        if claimed is not None:
            return claimed
        stdlib = self._stdlib(value, kind, inner)
        if stdlib is not None:
            return stdlib
        name = global_name(value) if callable(value) else None
        if name is not None:
            return {"global": name}
        if kind is type and issubclass(value, tuple) and _pure_namedtuple(value):
            return {"ntclass": [value.__name__, list(value._fields)]}
        if kind is types.ModuleType and value.__name__ in SAFE_MODULES:
            return {"module": value.__name__}
        return self.handles.encode(value, self)

    def _stdlib(self, value: Any, kind: type, inner: int) -> dict[str, Any] | None:
        encode = self._encode
        if kind is collections.Counter or kind is collections.OrderedDict:
            self._number(value)
            return {kind.__name__: self._pairs(value, inner)}
        if kind is collections.defaultdict:
            self._number(value)
            return {
                "defaultdict": [encode(value.default_factory, inner), self._pairs(value, inner)]
            }
        if kind is collections.deque:
            self._number(value)
            return {"deque": [[encode(item, inner) for item in value], value.maxlen]}
        if kind is _KEYS or kind is _VALUES:  # a view crosses as one of the reader's dict
            return {kind.__name__: [encode(item, inner) for item in value]}
        if kind is _ITEMS:
            return {"dict_items": [[encode(k, inner), encode(v, inner)] for k, v in value]}
        if kind is types.SimpleNamespace:
            self._number(value)
            return {"namespace": self._pairs(vars(value), inner)}
        # fractions, decimal and datetime are not imported here until a value of theirs comes:
        # the zygote stays small, its forks cheap
        module = kind.__module__
        if module == "pathlib" and kind.__name__ in ("PosixPath", "PurePosixPath"):
            return {"path": str(value)}  # the reader's own pathlib.Path
        if module == "fractions" and kind is sys.modules["fractions"].Fraction:
            return {"Fraction": [encode(value.numerator, inner), encode(value.denominator, inner)]}
        if module == "decimal" and kind is sys.modules["decimal"].Decimal:
            return {"Decimal": str(value)}
        if module == "datetime" and kind in _datetime_kinds():
            if kind.__name__ == "timedelta":
                return {"timedelta": [value.days, value.seconds, value.microseconds]}
            if kind.__name__ == "date":
                return {"date": value.isoformat()}
            return {kind.__name__: [value.replace(tzinfo=None).isoformat(), _zone(value.tzinfo)]}
        if isinstance(value, enum.Enum):
            name = _stdlib_enum(value)
            if name is None or type(value.value) not in SCALARS:
                return None
            return {"enum": [name, value.value]}
        if issubclass(kind, tuple) and _pure_namedtuple(kind):
            fields = list(kind._fields)  # type: ignore[attr-defined]
            items = [encode(item, inner) for item in value]
            return {"namedtuple": [kind.__name__, fields, items]}
        return None

    def _pairs(self, mapping: Any, inner: int) -> list[list[Any]]:
        encode = self._encode
        return [[encode(k, inner), encode(v, inner)] for k, v in mapping.items()]

    def _number(self, value: Any) -> None:
        self.mine[id(value)] = len(self.kept)
        self.kept.append(value)

    # reading

    def decode(self, data: Any) -> Any:
        return self._read(self._decode, data)

    def _read(self, read: Callable[..., Any], *args: Any) -> Any:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, MAX_DEPTH * 3 + 200))
        try:
            return read(*args)
        except Unreadable:
            raise
        except (
            TypeError,
            ValueError,
            KeyError,
            IndexError,
            AttributeError,
            RecursionError,
            OverflowError,
            ArithmeticError,
        ) as exc:
            raise Unreadable(f"not a value: {type(exc).__name__}: {exc}") from None
        finally:
            sys.setrecursionlimit(limit)

    def _decode(self, data: Any) -> Any:
        kind = type(data)
        if kind in SCALARS:
            return data
        decode = self._decode
        if kind is list:
            if _all_small(data):
                return self._got(list(data))
            items: list[Any] = self._got([])
            items.extend(decode(item) for item in data)
            return items
        if kind is not dict:
            raise Unreadable("unknown value")
        for tag in HANDLE_TAGS:
            if tag in data:
                return self.handles.decode(tag, data, self)
        ((tag, body),) = data.items()
        match tag:
            case "int":
                return int(body, 16)
            case "same":
                return self.theirs[int(body)]
            case "yours":
                return self.kept[int(body)]
            case "tuple":
                return tuple(decode(item) for item in body)
            case "dict":
                return self._fill(self._got({}), body)
            case "set":
                found: set[Any] = self._got(set())
                found.update(decode(item) for item in body)
                return found
            case "frozenset":
                return frozenset(decode(item) for item in body)
            case "bytes":
                return base64.b64decode(body, validate=True)
            case "bytearray":
                return self._got(bytearray(base64.b64decode(body, validate=True)))
            case "complex":
                return complex(float(body[0]), float(body[1]))
            case "slice":
                return slice(*(decode(part) for part in body))
            case "range":
                return range(*(_int(decode(part)) for part in body))
            case "global":
                return resolve_global(str(body))
            case "module":  # one of the standard library's: the reader's own
                if body in SAFE_MODULES:
                    return importlib.import_module(str(body))
                raise Unreadable(f"the module {body} may not cross")
        return self._decode_stdlib(tag, body)

    def _decode_stdlib(self, tag: str, body: Any) -> Any:
        decode = self._decode
        match tag:
            case "Counter":
                return self._fill(self._got(collections.Counter()), body)
            case "OrderedDict":
                return self._fill(self._got(collections.OrderedDict()), body)
            case "defaultdict":
                table: collections.defaultdict[Any, Any] = self._got(collections.defaultdict())
                factory = decode(body[0])
                if factory is not None and not callable(factory):
                    raise Unreadable("a defaultdict's factory that cannot be called")
                table.default_factory = factory
                return self._fill(table, body[1])
            case "deque":
                queue: collections.deque[Any] = self._got(collections.deque(maxlen=body[1]))
                queue.extend(decode(item) for item in body[0])
                return queue
            case "path":
                import pathlib

                return pathlib.Path(str(body))
            case "dict_keys":
                return dict.fromkeys(decode(item) for item in body).keys()
            case "dict_values":
                return {n: decode(item) for n, item in enumerate(body)}.values()
            case "dict_items":
                return {decode(k): decode(v) for k, v in body}.items()
            case "namespace":
                space = self._got(types.SimpleNamespace())
                for key, value in body:
                    setattr(space, str(decode(key)), decode(value))
                return space
            case "Fraction":
                import fractions

                return fractions.Fraction(_int(decode(body[0])), _int(decode(body[1])))
            case "Decimal":
                import decimal

                return decimal.Decimal(str(body))
            case "timedelta":
                import datetime

                return datetime.timedelta(*(_int(part) for part in body))
            case "date":
                import datetime

                return datetime.date.fromisoformat(str(body))
            case "datetime" | "time":
                import datetime

                cls = datetime.datetime if tag == "datetime" else datetime.time
                return cls.fromisoformat(str(body[0])).replace(tzinfo=_unzone(body[1]))
            case "enum":
                cls = resolve_global(str(body[0]))
                if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
                    raise Unreadable(f"{body[0]} is not an enum")
                return cls(body[1])
            case "namedtuple":
                kind = _namedtuple(str(body[0]), tuple(str(field) for field in body[1]))
                return kind(*(decode(item) for item in body[2]))
            case "ntclass":
                return _namedtuple(str(body[0]), tuple(str(field) for field in body[1]))
        raise Unreadable(f"unknown tag {tag!r}")

    def _got(self, container: Any) -> Any:
        self.their_ids[id(container)] = len(self.theirs)
        self.theirs.append(container)
        return container

    def _fill(self, mapping: Any, pairs: list[list[Any]]) -> Any:
        for key, value in pairs:
            mapping[self._decode(key)] = self._decode(value)
        return mapping


_SMALL = (str, float, bool, type(None))
_INT_BOUND = 1 << 4000


def _all_small(items: list[Any]) -> bool:
    """Only strings, floats, bools, None and ints that JSON carries as they are."""
    for item in items:
        kind = type(item)
        if kind is int:
            if not -_INT_BOUND < item < _INT_BOUND:
                return False
        elif kind not in _SMALL:
            return False
    return True


def _int(value: Any) -> Any:
    if value is not None and type(value) is not int:
        raise Unreadable("not an integer")
    return value


def _datetime_kinds() -> tuple[type, ...]:
    datetime = sys.modules["datetime"]
    return (datetime.timedelta, datetime.date, datetime.datetime, datetime.time)


def _zone(tz: Any) -> Any:
    if tz is None:
        return None
    key = getattr(tz, "key", None)
    if type(key) is str:
        return {"zone": key}
    offset = tz.utcoffset(None)
    if offset is None:
        return None
    return {"offset": offset.total_seconds(), "name": tz.tzname(None)}


def _unzone(data: Any) -> Any:
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


def _namedtuple(name: str, fields: tuple[str, ...]) -> Callable[..., Any]:
    """The reader's own class for a namedtuple of that name and fields (made once)."""
    key = (name, fields)
    if key not in _NAMEDTUPLES:
        if len(_NAMEDTUPLES) > 256:
            _NAMEDTUPLES.clear()
        _NAMEDTUPLES[key] = collections.namedtuple(name, fields)  # type: ignore[misc]
    return _NAMEDTUPLES[key]


def sync(original: Any, new: Any) -> None:
    """Make `original` hold what `new` holds, in place (the child changed a container it was
    given: the test sees its own object changed)."""
    if original is new:
        return
    if type(original) is not type(new):
        raise Unreadable("a write-back of another type")
    if isinstance(original, list | bytearray):
        original[:] = new
    elif isinstance(original, dict):
        dict.clear(original)
        dict.update(original, new)
        if isinstance(original, collections.defaultdict):
            original.default_factory = new.default_factory
    elif isinstance(original, set):
        original.clear()
        original.update(new)
    elif isinstance(original, collections.deque):
        original.clear()
        original.extend(new)
    elif isinstance(original, types.SimpleNamespace):
        vars(original).clear()
        vars(original).update(vars(new))
