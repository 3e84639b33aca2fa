"""Stand-ins for the other side's classes, and the proxies of its objects (peer.py has the
conversation they ask through).

A stand-in class is made from its owner's description (described.py): its name, bases, which
dunders and methods it has; so `isinstance`, `issubclass`, `type(x).__name__` and default
truth, equality and hashing need no round trip. A proxy keeps the snapshot of its object's
plain attributes in its own `__dict__` (handles.py fills and empties it); what is not there
is asked for. Iterators are read in batches that grow (1, 2, 4, ... `BATCH_MAX` items).
"""

import builtins
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    any,
    getattr,
    hash,
    isinstance,
    min,
    sorted,
)
from collections.abc import Callable
from typing import Any

import stdlib

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


def make_stand_in(peer: Any, handle: int, desc: dict[str, Any]) -> type:
    bases = tuple(
        stdlib.resolve_global(str(base["global"])) if "global" in base else peer.stand_in(base)
        for base in desc.get("bases", [])
    )
    exc_base = desc.get("exc")
    if exc_base:
        builtin = getattr(builtins, str(exc_base), None)
        if not (isinstance(builtin, type) and issubclass(builtin, BaseException)):
            builtin = Exception
        bases = _consistent(tuple(b for b in bases if issubclass(b, BaseException))) or (builtin,)
        namespace: dict[str, Any] = {"__str__": exception_str}
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


def exception_str(self: BaseException) -> str:
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
