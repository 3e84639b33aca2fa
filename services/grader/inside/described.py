"""What one side tells the other about its classes (for stand-ins, stand_ins.py) and what of
an object's state may go with it (its plain attributes, read without running its code)."""

import functools
import types
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    getattr,
    isinstance,
    next,
)
from typing import Any

from stand_ins import BUILTIN_BASES, FORWARDED


def instance_attributes(target: Any) -> dict[str, Any] | None:
    """An object's own attributes, when reading them runs none of its code."""
    descriptors = class_plan(type(target))
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
def class_plan(cls: type) -> frozenset[str] | None:
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


def describe(cls: type, peer: Any) -> dict[str, Any]:
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


def _describe(cls: type, peer: Any) -> dict[str, Any]:
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
            if isinstance(member, types.FunctionType) and name not in methods:
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
