"""One side of the conversation between the judge and the confined child that imported the
student's module. Both sides run this code; what differs is in `Policy`.

Each side owns objects the other uses through proxies: the child's module, functions and
objects (the tests use them), the tests' own objects, classes and callbacks (the student's
code uses them). A request names an object by its owner's handle and asks one operation of it
(get or set an attribute, call, call a method, a dunder such as `len` or `<`, the next items of
an iterator, a snapshot of its attributes); the owner answers with a value (values.py) or an
exception. While waiting, a side serves the other's requests, so calls may nest (a test's
callback that calls the student's code). Messages are frames (frames.py).

Round trips are what costs, so:
- a proxy's class is a stand-in class made from its owner's description of the class (its
  name, bases, which dunders and methods it has): `isinstance`, `issubclass`, `type(x).__name__`
  and default truth, equality and hashing work without asking;
- an object with plain attributes crosses with a snapshot of them, and so do the objects they
  hold, breadth first, up to `SNAP_OBJECTS` (a 10 000-node list or tree is read where it
  arrives); a snapshot holds until the owner may have run code again (`Peer.generation`);
- setting a plain attribute of the tests' object is written ahead and sent with the next
  message;
- iterators are read in batches that grow (1, 2, 4, ... `BATCH_MAX` items).
"""

import contextlib
import copy
import functools
import json
import sys
import types
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    any,
    enumerate,
    getattr,
    hash,
    isinstance,
    len,
    max,
    min,
    next,
    range,
    setattr,
    sorted,
)
from collections.abc import Callable
from typing import Any

import values

SNAP_OBJECTS = 20_000  # objects whose attributes one message may carry
SNAP_ON_MISS = 64  # ... when asked for one object's attributes
BATCH_MAX = 256
SAFE_DUNDERS = frozenset(["__name__", "__qualname__", "__doc__", "__module__"])
# builtin classes a stand-in derives from too (isinstance(x, list) of a list subclass)
BUILTIN_BASES = frozenset(
    ["list", "dict", "set", "frozenset", "tuple", "str", "bytes", "int", "float"]
)

# Operations a stand-in forwards when its class has them (looked up on the class, as Python
# does); comparisons and hashing are decided by `Policy.compares`.
FORWARDED = [
    "__len__",
    "__iter__",
    "__next__",
    "__getitem__",
    "__setitem__",
    "__delitem__",
    "__contains__",
    "__bool__",
    "__str__",
    "__repr__",
    "__call__",
    "__add__",
    "__radd__",
    "__sub__",
    "__rsub__",
    "__mul__",
    "__rmul__",
    "__truediv__",
    "__rtruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__pow__",
    "__rpow__",
    "__matmul__",
    "__neg__",
    "__pos__",
    "__abs__",
    "__invert__",
    "__and__",
    "__rand__",
    "__or__",
    "__ror__",
    "__xor__",
    "__rxor__",
    "__lshift__",
    "__rshift__",
    "__int__",
    "__float__",
    "__index__",
    "__round__",
    "__reversed__",
    "__enter__",
    "__exit__",
    "__eq__",
    "__ne__",
    "__lt__",
    "__le__",
    "__gt__",
    "__ge__",
    "__hash__",
]
COMPARISONS = frozenset(["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"])
# Requests that by convention change nothing: snapshots taken before them still hold.
READS = frozenset(
    [
        "getattr",
        "snap",
        "__len__",
        "__getitem__",
        "__contains__",
        "__str__",
        "__repr__",
        "__hash__",
        "__bool__",
        *COMPARISONS,
    ]
)


class Policy:
    """What a side lets the other do with its objects, and how its stand-ins behave."""

    trusts_peer_comparisons = True  # compare a proxy with a plain value by asking its owner
    # stand-ins also derive from the owner's builtin bases (isinstance(x, list) of a list
    # subclass); never where the verdict is made: their own (empty) storage would compare
    builtin_bases = True
    writes_ahead = False  # set plain attributes of the other side's objects without waiting
    writes_back = False  # send back what changed in the containers a request brought
    fatal: tuple[type[BaseException], ...] = ()  # what ends the conversation, never answered

    def may(self, op: str, target: Any, name: str) -> None:
        """Raise PermissionError for what the other side may not do."""

    def attributes(self, target: Any) -> dict[str, Any] | None:
        """The plain attributes of an object that can go with it, or None."""
        return _instance_attributes(target)

    def snaps(self, target: Any) -> bool:
        """Whether `attributes(target)` gives any (cheaply: per class)."""
        return _class_plan(type(target)) is not None and hasattr(target, "__dict__")

    def describe_error(self, exc: BaseException) -> dict[str, Any]:
        return {"type": type(exc).__name__, "detail": str(exc)}

    def error(self, info: dict[str, Any], exc: BaseException) -> BaseException:
        return exc

    def output(self, stream: str, text: str) -> None:
        """Text the other side printed (only the child prints to the judge)."""

    def outgoing(self, message: dict[str, Any]) -> None:
        """Add what goes with every message (the child's printed text)."""

    def serve_extra(self, op: str, message: dict[str, Any]) -> Any:
        raise PermissionError(f"unknown operation {op!r}")

    def out_of_memory(self, exc: BaseException) -> bool:
        return isinstance(exc, MemoryError)

    def limit(self, limit: str) -> BaseException:
        """The other side reached a limit (its memory)."""
        return MemoryError(limit)

    def unreadable(self, exc: Exception) -> BaseException:
        """The other side sent what cannot be read."""
        return exc


class Gone(Exception):
    """The other side went away (or sent what cannot be read)."""


class Peer(values.Handles):
    def __init__(
        self,
        send: Callable[[dict[str, Any]], None],
        receive: Callable[[], dict[str, Any]],
        policy: Policy,
        root: Any,
    ) -> None:
        self.send_frame, self.receive_frame, self.policy = send, receive, policy
        self.writes_ahead = policy.writes_ahead
        self.objects: list[Any] = []  # ours, by handle (kept alive: their ids stay theirs)
        self.handles: dict[int, int] = {}  # id(ours) -> handle
        self.described: set[int] = set()  # handles of our classes already described
        self.proxies: dict[int, Any] = {}  # their handle -> our proxy (identity holds)
        self.stand_ins: dict[int, type] = {}  # their class handle -> our stand-in class
        self.generation = 0  # bumped whenever the other side may have run code
        self.filled: list[Proxy] = []  # proxies holding a snapshot of this generation
        self.object_kinds: set[type] = set()
        # class -> (its handle, already described; whether its instances carry snapshots)
        self.kinds: dict[type, tuple[int, bool]] = {}
        self.session = values.Session(self)
        self.depth = 0  # requests being served or waited for
        self.writes: list[tuple[Any, str, Any]] = []  # attribute writes not sent yet
        self.fingerprints: dict[int, str] = {}  # their container number -> as received
        self.own(root)  # handle 0: the student's module (in the child)

    # our objects

    def own(self, value: Any) -> int:
        handle = self.handles.get(id(value))
        if handle is None or self.objects[handle] is not value:
            handle = len(self.objects)
            self.objects.append(value)
            self.handles[id(value)] = handle
        return handle

    def claim(self, value: Any) -> Any:
        """The handle the other side knows one of its own objects by (we hold a proxy)."""
        if isinstance(value, Proxy):
            return {"r": object.__getattribute__(value, "_gs_h")}
        if isinstance(value, type) and value.__dict__.get("_gs_class_peer") is self:
            return {"r": value.__dict__["_gs_class_h"]}
        if isinstance(value, BoundMethod):
            return {"rm": [object.__getattribute__(value.owner, "_gs_h"), value.name]}
        return None

    def encode(self, value: Any, session: values.Session) -> Any:
        """A handle for one of our objects."""
        if isinstance(value, BaseException):  # crosses as an exception of the same class
            try:
                args = session.encode(list(value.args))
            except values.NotPlain:
                args = [str(value)]
            return {"o": -1, "exc": [session.encode(type(value)), args, _text(value)]}
        if isinstance(value, type):
            return self.class_ref(value)
        handle = self.own(value)
        kind = type(value)
        known = self.kinds.get(kind)
        if known is None:  # the first of its class: described, and remembered for the rest
            cls = self.class_ref(kind)
            if not (callable(value) or issubclass(kind, values.enum.Enum | types.ModuleType)):
                self.object_kinds.add(kind)  # the codec sends its instances here at once
                self.kinds[kind] = (cls["cls"], self.policy.snaps(value))
            snaps = self.policy.snaps(value)
        else:
            cls, snaps = known
        if snaps and session.budget > 0:
            session.budget -= 1
            session.snaps.append(handle)
        return {"o": handle, "c": cls}

    def class_ref(self, cls: type) -> dict[str, Any]:
        handle = self.own(cls)
        ref: dict[str, Any] = {"cls": handle}
        if handle not in self.described:
            self.described.add(handle)
            ref["d"] = describe(cls, self)
        return ref

    def decode(self, tag: str, data: dict[str, Any], session: values.Session) -> Any:
        if tag == "r":
            return self.objects[int(data["r"])]
        if tag == "rm":
            owner, name = data["rm"]
            return getattr(self.objects[int(owner)], str(name))
        if tag == "cls":
            return self.stand_in(data)
        if "exc" in data:
            kind, args, text = data["exc"]
            cls = session.decode(kind)
            return self.exception(
                {"detail": str(text)}, {"class": cls, "args": session.decode(args)}
            )
        handle = int(data["o"])
        proxy = self.proxies.get(handle)
        if proxy is None:
            cls = self.stand_in(data["c"])
            if issubclass(cls, BaseException):
                raise values.Unreadable("an exception object where a plain one was due")
            proxy = cls.__new__(cls, _internal=True)  # type: ignore[call-arg]
            vars(proxy).update(_gs_peer=self, _gs_h=handle, _gs_gen=-1, _gs_batch=None)
            self.proxies[handle] = proxy
        return proxy

    def stand_in(self, ref: dict[str, Any] | int) -> type:
        if type(ref) is int:  # a class described before
            return self.stand_ins[ref]
        assert isinstance(ref, dict)
        handle = int(ref["cls"])
        if handle not in self.stand_ins:
            self.stand_ins[handle] = make_stand_in(self, handle, ref["d"])
        return self.stand_ins[handle]

    # messages

    def send(self, message: dict[str, Any], fields: list[tuple[str, Any]]) -> None:
        """Write `fields` (in this order; the reader reads them in the same order), the
        attribute writes not sent yet, and the snapshots that go with them."""
        session = self.session
        session.budget = int(message.pop("budget", SNAP_OBJECTS))
        encoded = []
        if self.writes:
            writes, self.writes = self.writes, []
            encoded.append(["sets", session.encode([list(write) for write in writes])])
        for key, value in fields:
            if key == "attrs":
                encoded.append([key, session.encode_attrs(value)])
            else:
                encoded.append([key, session.encode(value)])
        snaps = session.guarded(self.write_snaps, session)
        session.budget, session.snaps = 0, []
        if encoded:
            message["enc"] = encoded
        if snaps:
            message["snaps"] = snaps
        self.policy.outgoing(message)
        self.send_frame(message)

    def read(self, message: dict[str, Any]) -> dict[str, Any]:
        """The decoded fields of a message; its attribute writes and snapshots applied."""
        if not isinstance(message, dict):
            raise values.Unreadable("not a message")
        for stream in ("out", "err"):
            if stream in message:
                self.policy.output(stream, str(message[stream]))
        session, got = self.session, {}
        received = len(session.theirs)
        for key, data in message.get("enc", []):
            if key == "attrs":
                got[key] = session.decode_attrs(data)
                continue
            value = session.decode(data)
            if key == "sets":
                for target, name, new in value:
                    self.policy.may("setattr", target, str(name))
                    setattr(target, str(name), new)
            elif key == "wb":
                for number, new in value:
                    values.sync(session.kept[int(number)], new)
            else:
                got[key] = value
        snaps = message.get("snaps")
        if snaps:
            session.reading(self.read_snaps, session, snaps)
        self.remember(received)
        return got

    def write_snaps(self, session: values.Session) -> list[list[Any]]:
        """[handle, attributes] of the objects the message carries, breadth first (writing
        one queues the objects it holds)."""
        snaps, done = [], 0
        while done < len(session.snaps):
            handle = session.snaps[done]
            done += 1
            attrs = self.policy.attributes(self.objects[handle]) or {}
            snaps.append([handle, session.attrs_of(attrs)])
        return snaps

    def read_snaps(self, session: values.Session, snaps: list[list[Any]]) -> None:
        for handle, data in snaps:
            attrs = session.attrs_from(data)
            proxy = self.proxies.get(int(handle))
            if proxy is not None:
                self.fill(proxy, attrs)

    def fill(self, proxy: "Proxy", attrs: dict[str, Any]) -> None:
        """The snapshot goes into the proxy's own __dict__: reading it is Python's own
        attribute lookup, no call of ours. `bump` takes it out again."""
        own = vars(proxy)
        for name in own.pop("_gs_keys", ()):
            own.pop(name, None)
        attrs = {name: value for name, value in attrs.items() if not name.startswith("_gs_")}
        own.update(attrs)
        own["_gs_keys"], own["_gs_gen"] = list(attrs), self.generation
        self.filled.append(proxy)

    def bump(self) -> None:
        """The other side may have run code: every snapshot we hold may be out of date."""
        self.generation += 1
        for proxy in self.filled:
            own = vars(proxy)
            for name in own.pop("_gs_keys", ()):
                own.pop(name, None)
        self.filled = []

    def remember(self, since: int) -> None:
        """A shallow copy of each container we just got (the child sends back what changed)."""
        if self.policy.writes_back:
            theirs = self.session.theirs
            for number in range(since, len(theirs)):
                container = theirs[number]
                kind = type(container)
                # a shallow copy, the quick way for the common kinds
                self.fingerprints[number] = (
                    kind(container) if kind in (list, dict, set) else copy.copy(container)
                )

    def write_back(self) -> list[list[Any]]:
        """[number, what it holds now] for each container we were given that we changed."""
        changed = []
        for number, container in enumerate(self.session.theirs):
            if not _same(container, self.fingerprints.get(number)):
                changed.append([number, copy.copy(container)])
        return changed

    # asking the other side

    def request(self, op: str, handle: int, fields: list[tuple[str, Any]], **plain: Any) -> Any:
        _message, got = self.exchange(op, handle, fields, plain)
        return got["value"]

    def request_batch(self, handle: int, size: int) -> tuple[list[Any], BaseException | None]:
        """Up to `size` next items of an iterator, and what ended it after them (or None)."""
        message, got = self.exchange("next", handle, [], {"n": size})
        items = got["value"]
        if type(items) is not list:
            raise values.Unreadable("a batch that is not a list")
        end: BaseException | None = None
        if message.get("stop_after"):
            end = StopIteration()
        elif "raise_after" in message:
            end = self.exception(message["raise_after"], got)
        return items, end

    def exchange(
        self, op: str, handle: int, fields: list[tuple[str, Any]], plain: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if self.depth == 0:
            self.session = values.Session(self)
        if op not in READS:
            self.bump()
        self.depth += 1
        try:
            return self._exchange(op, handle, fields, plain)
        except values.Unreadable as exc:
            raise self.policy.unreadable(exc) from None
        finally:
            self.depth -= 1

    def _exchange(
        self, op: str, handle: int, fields: list[tuple[str, Any]], plain: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        self.send({"op": op, "h": handle, **plain}, fields)
        while True:
            message = self.receive_frame()
            if not isinstance(message, dict):
                raise values.Unreadable("not a message")
            if "op" in message:
                self.serve(message)
                continue
            if set(message) <= {"out", "err"}:
                self.read(message)
                continue
            got = self.read(message)
            if "limit" in message:
                raise self.policy.limit(str(message["limit"]))
            if "raised" in message:
                raise self.exception(message["raised"], got)
            if message.get("stop"):
                raise StopIteration
            if "value" not in got and "attrs" not in got:
                raise values.Unreadable("an answer without a value")
            return message, got

    def exception(self, info: Any, got: dict[str, Any]) -> BaseException:
        if not isinstance(info, dict):
            raise values.Unreadable("an exception nobody can read")
        cls, args = got.get("class"), got.get("args", ())
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            cls = RuntimeError
        detail = str(info.get("detail", ""))
        try:
            exc = cls.__new__(cls)
            exc.args = tuple(args) if type(args) in (list, tuple) else (detail,)
        except Exception:
            exc = RuntimeError(detail)
        if cls.__str__ is _exception_str:
            exc._gs_str = detail  # type: ignore[attr-defined]
        attrs = got.get("attrs")
        for key, value in (attrs if type(attrs) is dict else {}).items():
            with contextlib.suppress(Exception):
                setattr(exc, str(key), value)
        cause = got.get("cause")
        if isinstance(info.get("cause"), dict) and type(cause) is dict:
            exc.__cause__ = self.exception(info["cause"], cause)
        return self.policy.error(info, exc)

    # answering the other side

    def serve(self, message: dict[str, Any]) -> None:
        """Do what the other side asked of one of our objects; send the answer."""
        if self.depth == 0:  # a new request: new numbers, and the other side ran code
            self.session = values.Session(self)
            self.fingerprints = {}
            self.bump()
        self.depth += 1
        try:
            try:
                got = self.read(message)
                op, name = str(message["op"]), str(message.get("name", ""))
                target = self.objects[int(message.get("h", 0))]
                answer, fields = self.perform(op, target, name, message, got)
            except StopIteration:
                answer, fields = {"stop": True}, []
            except (Gone, values.Unreadable, *self.policy.fatal):
                raise
            except BaseException as exc:  # whatever our code raises goes back, even SystemExit
                if self.policy.out_of_memory(exc):
                    answer, fields = {"limit": "memory"}, []
                else:
                    answer, fields = self.raised(exc)
            self.finish(answer, fields)
            self.send(answer, fields)
        finally:
            self.depth -= 1

    def finish(self, answer: dict[str, Any], fields: list[tuple[str, Any]]) -> None:
        """The end of the other side's request carries the write-back (the child's)."""
        if self.depth == 1 and self.policy.writes_back and "limit" not in answer:
            changed = self.write_back()
            if changed:
                fields.append(("wb", changed))

    def raised(
        self, exc: BaseException, depth: int = 0
    ) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
        info = self.policy.describe_error(exc)
        fields: list[tuple[str, Any]] = []
        fields.append(("class", type(exc)))
        args = exc.args
        try:
            json.dumps(values.Session().encode(args))
            fields.append(("args", args))
        except (values.NotPlain, TypeError, ValueError):
            pass
        attrs = getattr(exc, "__dict__", None)
        if attrs:
            fields.append(("attrs", {k: v for k, v in attrs.items() if not k.startswith("_")}))
        cause = exc.__cause__
        if cause is not None and depth < 3:  # `raise ... from exc`
            answer, more = self.raised(cause, depth + 1)
            info["cause"] = answer["raised"]
            fields.append(("cause", dict(more)))
        return {"raised": info}, fields

    def perform(
        self, op: str, target: Any, name: str, message: dict[str, Any], got: dict[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
        self.policy.may(op, target, name)
        match op:
            case "getattr":
                return {}, [("value", getattr(target, name))]
            case "setattr":
                setattr(target, name, got["value"])
                return {}, [("value", None)]
            case "delattr":
                delattr(target, name)
                return {}, [("value", None)]
            case "call":
                return {}, [("value", target(*got["args"], **got["kwargs"]))]
            case "callmethod":
                method = getattr(target, name)
                return {}, [("value", method(*got["args"], **got["kwargs"]))]
            case "dunder":
                if name not in FORWARDED:
                    raise PermissionError(f"{name} is not forwarded")
                found = getattr(type(target), name)
                return {}, [("value", found(target, *got["args"]))]
            case "next":
                items: list[Any] = []
                count = max(1, min(int(message.get("n", 1)), BATCH_MAX))
                try:
                    while len(items) < count:
                        items.append(next(target))
                except StopIteration:
                    if not items:
                        raise
                    return {"stop_after": True}, [("value", items)]
                except Exception as exc:
                    if not items:
                        raise
                    answer, fields = self.raised(exc)
                    return {"raise_after": answer["raised"]}, [("value", items), *fields]
                return {}, [("value", items)]
            case "snap":
                attrs = self.policy.attributes(target)
                return {"budget": SNAP_ON_MISS}, [("attrs", attrs or {})]
        return {}, [("value", self.policy.serve_extra(op, {**message, **got}))]


def _same(now: Any, then: Any) -> bool:
    """Whether a container holds the very objects it held (identity, not equality: nothing of
    what it holds runs); the containers inside are compared on their own."""
    if type(now) is not type(then):
        return False
    try:
        if isinstance(now, dict | types.SimpleNamespace):
            pairs_now = list(
                vars(now).items() if type(now) is types.SimpleNamespace else now.items()
            )
            pairs_then = list(
                vars(then).items() if type(then) is types.SimpleNamespace else then.items()
            )
            return (
                len(pairs_now) == len(pairs_then)
                and all(
                    a is c and b is d for (a, b), (c, d) in zip(pairs_now, pairs_then, strict=True)
                )
                and getattr(now, "default_factory", None) is getattr(then, "default_factory", None)
            )
        if isinstance(now, set):
            return {id(x) for x in now} == {id(x) for x in then}  # both hold them: ids hold
        if isinstance(now, bytearray):
            return now == then
        return len(now) == len(then) and all(a is b for a, b in zip(now, then, strict=True))
    except Exception:  # a student's container that broke: send it as it is
        return False


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return type(exc).__name__


def _instance_attributes(target: Any) -> dict[str, Any] | None:
    """An object's own attributes, when reading them runs none of its code."""
    descriptors = _class_plan(type(target))
    attrs = getattr(target, "__dict__", None)
    if descriptors is None or type(attrs) is not dict:
        return None
    return {
        name: value
        for name, value in attrs.items()
        if type(name) is str
        and not name.startswith(("__", "_gs_"))  # a proxy's own, copied (functools.wraps)
        and name not in descriptors
    }


@functools.lru_cache(maxsize=512)
def _class_plan(cls: type) -> frozenset[str] | None:
    """None if reading an instance's attributes could run code of its class (or it is a
    class); else the names its class's data descriptors own (not the instance's to show)."""
    if cls.__getattribute__ is not object.__getattribute__ or issubclass(cls, type):
        return None
    return frozenset(
        name
        for klass in cls.__mro__
        for name, member in vars(klass).items()
        if hasattr(type(member), "__set__") or hasattr(type(member), "__delete__")
    )


def describe(cls: type, peer: Peer) -> dict[str, Any]:
    """What the other side needs to make a stand-in for one of our classes."""
    if cls.__module__ == "builtins":  # function, generator, ...: the same every time
        return _describe_builtin(cls)
    return _describe(cls, peer)


@functools.lru_cache(maxsize=64)
def _describe_builtin(cls: type) -> dict[str, Any]:
    return _describe(cls, None)  # a builtin class has no bases of ours to name


def warm() -> None:
    """What every job needs first, done once in the zygote (its forks start with it)."""
    for cls in (types.FunctionType, types.GeneratorType, types.MethodType, type(iter([]))):
        _describe_builtin(cls)


def _describe(cls: type, peer: Peer | None) -> dict[str, Any]:
    mro = cls.__mro__
    exc_base = next(
        (k.__name__ for k in mro if k.__module__ == "builtins" and issubclass(k, BaseException)),
        None,
    )
    ours = [base for base in cls.__bases__ if base.__module__ != "builtins"]
    dunders, methods, descriptors = [], [], []
    builtin = cls.__module__ == "builtins"
    for name in FORWARDED:
        defined = next((k for k in mro if name in k.__dict__), object)
        if defined is object or (exc_base is not None and defined.__module__ == "builtins"):
            continue
        if name in ("__repr__", "__str__") and not builtin and defined.__module__ == "builtins":
            continue  # a subclass of int shows as <Name object>, not as the int it holds
        dunders.append(name)
    hash_of = "default"
    found_hash = next((k.__dict__["__hash__"] for k in mro if "__hash__" in k.__dict__), None)
    if found_hash is None:
        hash_of = "none"
    elif found_hash is not object.__hash__ and "__hash__" in dunders:
        hash_of = "custom"
    for klass in mro[:-1]:
        for name, member in vars(klass).items():
            if name.startswith("__"):
                continue
            if isinstance(member, values.types.FunctionType) and name not in methods:
                methods.append(name)
            elif hasattr(type(member), "__set__") and name not in descriptors:
                descriptors.append(name)
    return {
        "name": cls.__name__,
        "qualname": cls.__qualname__,
        "module": str(cls.__module__),
        "bases": [
            peer.class_ref(base) if base in ours else {"global": f"builtins:{base.__qualname__}"}
            for base in cls.__bases__
            if base in ours
            or (base is not object and base.__qualname__ in BUILTIN_BASES)
            or issubclass(base, BaseException)
        ],
        "exc": exc_base,
        "dunders": [name for name in dunders if name != "__hash__"],
        "hash": hash_of,
        "methods": methods,
        "descriptors": descriptors,
        "plain_setattr": cls.__setattr__ is object.__setattr__,
        "snap": cls.__getattribute__ is object.__getattribute__,
    }


class StandIn(type):
    """The type of our stand-ins for the other side's classes: calling one asks its owner to
    make an instance (a test's class the student's code instantiates, or the reverse)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if issubclass(cls, BaseException):
            return super().__call__(*args, **kwargs)
        peer = cls._gs_class_peer  # type: ignore[attr-defined]
        return peer.request("call", cls._gs_class_h, [("args", list(args)), ("kwargs", kwargs)])

    def __getattr__(cls, name: str) -> Any:
        """A class attribute, class method or static method of the owner's class."""
        if name.startswith("__") and name not in SAFE_DUNDERS:
            raise AttributeError(name)
        peer = cls.__dict__.get("_gs_class_peer")
        if peer is None:  # a subclass made on this side
            raise AttributeError(name)
        return peer.request("getattr", cls.__dict__["_gs_class_h"], [], name=name)


def make_stand_in(peer: Peer, handle: int, desc: dict[str, Any]) -> type:
    bases = tuple(
        values.resolve_global(str(base["global"])) if "global" in base else peer.stand_in(base)
        for base in desc.get("bases", [])
    )
    exc_base = desc.get("exc")
    if exc_base:
        builtin = getattr(values.builtins, str(exc_base), None)
        if not (isinstance(builtin, type) and issubclass(builtin, BaseException)):
            builtin = Exception
        bases = _consistent(tuple(b for b in bases if issubclass(b, BaseException))) or (builtin,)
        namespace: dict[str, Any] = {"__str__": _exception_str}
    else:
        builtin_bases = tuple(b for b in bases if b.__qualname__ in BUILTIN_BASES)
        if not peer.policy.builtin_bases:
            builtin_bases = ()
        bases = tuple(b for b in bases if issubclass(b, Proxy)) or (Proxy,)
        bases += tuple(b for b in builtin_bases if not any(issubclass(o, b) for o in bases))
        namespace = {"__slots__": ()}
        for base in builtin_bases:  # list's append, dict's get, ...: the owner's object's
            for name in dir(base):
                if not name.startswith("_"):
                    namespace[name] = _method_forwarder(name)
        trusting = peer.policy.trusts_peer_comparisons
        for name in desc.get("dunders", []):
            if name in FORWARDED:
                namespace[name] = _forwarder(name, trusting)
        namespace["__hash__"] = {
            "none": None,
            "custom": _forwarder("__hash__", trusting),
        }.get(desc.get("hash"), object.__hash__)
        if "__repr__" not in namespace:
            namespace["__repr__"] = _plain_repr
        namespace["__doc__"] = _AskedDoc()
        namespace["_gs_methods"] = frozenset(str(m) for m in desc.get("methods", []))
        namespace["_gs_descriptors"] = frozenset(str(m) for m in desc.get("descriptors", []))
        namespace["_gs_plain_setattr"] = bool(desc.get("plain_setattr"))
        namespace["_gs_snap_ok"] = bool(desc.get("snap"))
    namespace.update(
        __module__=str(desc.get("module", "?")),
        __qualname__=str(desc.get("qualname", "?")),
        _gs_class_peer=peer,
        _gs_class_h=handle,
    )
    name = str(desc.get("name", "object"))
    if exc_base:
        return type(name, bases, namespace)
    return StandIn(name, bases, namespace)


class _AskedDoc:
    """`obj.__doc__` of the owner's object (a function's docstring), asked for."""

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return None
        return instance._gs_peer.request("getattr", instance._gs_h, [], name="__doc__")


def _consistent(bases: tuple[type, ...]) -> tuple[type, ...]:
    """The bases, less any that another already derives from (an order Python accepts)."""
    return tuple(b for b in bases if not any(o is not b and issubclass(o, b) for o in bases))


def _method_forwarder(name: str) -> Callable[..., Any]:
    def method(self: "Proxy", *args: Any, **kwargs: Any) -> Any:
        return BoundMethod(self, name)(*args, **kwargs)

    method.__name__ = name
    return method


def _plain_repr(self: Any) -> str:
    return f"<{type(self).__qualname__} object>"


def _exception_str(self: BaseException) -> str:
    said = getattr(self, "_gs_str", None)
    return said if type(said) is str else BaseException.__str__(self)


def _forwarder(name: str, trusting: bool) -> Callable[..., Any]:
    if name in COMPARISONS and not trusting:

        def compare(self: "Proxy", other: Any) -> Any:
            if not isinstance(other, Proxy) or other._gs_peer is not self._gs_peer:
                return NotImplemented  # never the other side's word against a plain value
            return self._gs_dunder(name, (other,))

        return compare
    if name == "__next__":
        return Proxy._gs_next
    if name == "__hash__":
        return lambda self: int(self._gs_dunder(name, ()))
    if name == "__call__":

        def call(self: "Proxy", *args: Any, **kwargs: Any) -> Any:
            fields = [("args", list(args)), ("kwargs", kwargs)]
            return self._gs_peer.request("call", self._gs_h, fields)

        return call

    def forward(self: "Proxy", *args: Any) -> Any:
        return self._gs_dunder(name, args)

    forward.__name__ = name
    return forward


class Proxy:
    """One of the other side's objects. Its class is a stand-in for the owner's class."""

    def __new__(cls, *args: Any, _internal: bool = False, **kwargs: Any) -> Any:
        for base in cls.__mro__:  # a stand-in for a subclass of int, str, list ...
            if base.__module__ == "builtins" and base.__qualname__ in BUILTIN_BASES:
                return base.__new__(cls)
        return object.__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def _gs_dunder(self, name: str, args: tuple[Any, ...]) -> Any:
        return self._gs_peer.request("dunder", self._gs_h, [("args", list(args))], name=name)

    def _gs_next(self) -> Any:
        batch = self._gs_batch
        if batch is None:
            batch = [[], 1, None]  # items, next size, what ends it
            object.__setattr__(self, "_gs_batch", batch)
        items, size, end = batch
        if not items:
            if end is not None:
                batch[2] = None
                raise end
            try:
                got = self._gs_peer.request_batch(self._gs_h, size)
            except StopIteration:
                raise
            items.extend(got[0])
            batch[1], batch[2] = min(size * 2, BATCH_MAX), got[1]
            if not items:
                raise batch[2] or StopIteration()
        return items.pop(0)

    def __getattr__(self, name: str) -> Any:
        """An attribute the snapshot in our __dict__ does not hold (or there is none)."""
        if name.startswith("__") and name not in SAFE_DUNDERS:
            raise AttributeError(name)
        peer, cls = self._gs_peer, type(self)
        if self._gs_fresh():
            own = vars(self)
            if name in own:
                return own[name]
        if name in cls._gs_methods:  # type: ignore[attr-defined]
            return BoundMethod(self, name)
        return peer.request("getattr", self._gs_h, [], name=name)

    def _gs_fresh(self) -> bool:
        """Whether our __dict__ holds a snapshot of this generation (fetched if it can be)."""
        peer = self._gs_peer
        if self._gs_gen == peer.generation:
            return True
        if not type(self)._gs_snap_ok:  # type: ignore[attr-defined]
            return False
        snap = peer.exchange("snap", self._gs_h, [], {})[1].get("attrs")
        if type(snap) is not dict:
            return False
        peer.fill(self, snap)
        return True

    def __setattr__(self, name: str, value: Any) -> None:
        cls = type(self)
        peer, own = self._gs_peer, vars(self)
        plain = cls._gs_plain_setattr and name not in cls._gs_descriptors  # type: ignore[attr-defined]
        fresh = own["_gs_gen"] == peer.generation
        if plain and peer.writes_ahead and fresh and name in own.get("_gs_keys", ()):
            own[name] = value
            peer.writes.append((self, name, value))
            return
        peer.request("setattr", self._gs_h, [("value", value)], name=name)

    def __delattr__(self, name: str) -> None:
        self._gs_peer.request("delattr", self._gs_h, [], name=name)

    def __dir__(self) -> list[str]:
        keys = vars(self).get("_gs_keys", ()) if self._gs_fresh() else ()
        return sorted({*keys, *type(self)._gs_methods})  # type: ignore[attr-defined]


class BoundMethod:
    """`obj.method` of the other side's object: calling it is one round trip."""

    __slots__ = ("name", "owner")

    def __init__(self, owner: Proxy, name: str) -> None:
        self.owner, self.name = owner, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        owner = self.owner
        peer = object.__getattribute__(owner, "_gs_peer")
        handle = object.__getattribute__(owner, "_gs_h")
        fields = [("args", list(args)), ("kwargs", kwargs)]
        return peer.request("callmethod", handle, fields, name=self.name)

    def __repr__(self) -> str:
        return f"<bound method {type(self.owner).__qualname__}.{self.name}>"

    def __eq__(self, other: Any) -> bool:
        return (
            isinstance(other, BoundMethod) and other.owner is self.owner and other.name == self.name
        )

    def __hash__(self) -> int:
        return hash((id(self.owner), self.name))


def shallow(container: Any) -> Any:
    return copy.copy(container)


def raise_limit(frames: int) -> None:
    sys.setrecursionlimit(max(sys.getrecursionlimit(), frames))
