"""Values between the judge and a confined child, as JSON. Standard library only.

What is data crosses as data, rebuilt by the reader with its own classes: builtin values
(None, bool, int, float, complex, str, bytes, bytearray, list, tuple, dict, set, frozenset,
range, slice, dict views) and the standard library's plain data (Counter, defaultdict, OrderedDict,
deque, namedtuple instances, Fraction, Decimal, date, datetime, time, timedelta, enums of the
standard library, SimpleNamespace), nested in any way. A whatever-the-sender-says value never
brings its own `__eq__`: the reader builds it. Builtin and standard-library functions and
classes cross by name (stdlib.py). Anything else stays with its owner and crosses as a handle
(`peer.py`): the codec asks its `Handles` for one.

Mutable containers are numbered in the order they are written, per conversation (`Session`):
the same list twice, or a list inside itself, is written once and then referred to
({"same": n}); one the reader itself sent earlier is referred to by the reader's number
({"yours": n}). That is what keeps identity across the boundary and lets the child send back
what it changed in the containers it was given (write-back).
"""

import base64
import collections
import enum
import importlib
import sys
import types
from builtins import callable, isinstance, len, max, range, setattr  # noqa: UP029 - bound now: tests may patch builtins
from collections.abc import Callable
from typing import Any

import stdlib
from protocol import NotPlain, Unreadable

MAX_DEPTH = 3000  # nesting the codec follows (it raises the recursion limit to do so)
SCALARS = (type(None), bool, int, float, str)
_KEYS, _VALUES, _ITEMS = type({}.keys()), type({}.values()), type({}.items())
HANDLE_TAGS = ("o", "r", "cls", "rm")  # an object of the sender's, one of the reader's, ...


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
        rebuilt = self._stdlib(value, kind, inner)
        if rebuilt is not None:
            return rebuilt
        name = stdlib.global_name(value) if callable(value) else None
        if name is not None:
            return {"global": name}
        if kind is type and issubclass(value, tuple) and stdlib.pure_namedtuple(value):
            return {"ntclass": [value.__name__, list(value._fields)]}
        if kind is types.ModuleType and value.__name__ in stdlib.SAFE_MODULES:
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
        if module == "datetime" and kind in stdlib.datetime_kinds():
            if kind.__name__ == "timedelta":
                return {"timedelta": [value.days, value.seconds, value.microseconds]}
            if kind.__name__ == "date":
                return {"date": value.isoformat()}
            return {
                kind.__name__: [value.replace(tzinfo=None).isoformat(), stdlib.zone(value.tzinfo)]
            }
        if isinstance(value, enum.Enum):
            name = stdlib.enum_name(value)
            if name is None or type(value.value) not in SCALARS:
                return None
            return {"enum": [name, value.value]}
        if issubclass(kind, tuple) and stdlib.pure_namedtuple(kind):
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
                return stdlib.resolve_global(str(body))
            case "module":  # one of the standard library's: the reader's own
                if body in stdlib.SAFE_MODULES:
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
                return cls.fromisoformat(str(body[0])).replace(tzinfo=stdlib.unzone(body[1]))
            case "enum":
                cls = stdlib.resolve_global(str(body[0]))
                if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
                    raise Unreadable(f"{body[0]} is not an enum")
                return cls(body[1])
            case "namedtuple":
                kind = stdlib.namedtuple_class(str(body[0]), tuple(str(field) for field in body[1]))
                return kind(*(decode(item) for item in body[2]))
            case "ntclass":
                return stdlib.namedtuple_class(str(body[0]), tuple(str(field) for field in body[1]))
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
