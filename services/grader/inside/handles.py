"""One side's objects and the proxies of the other's: handles, class descriptions, snapshots
of plain attributes (`fill`, `bump`) and the exceptions that cross. peer.py has the messages."""

from __future__ import annotations

import contextlib
import enum
import types
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    getattr,
    isinstance,
    len,
    setattr,
)
from typing import TYPE_CHECKING, Any

import described
import values
from stand_ins import BoundMethod, Proxy, exception_str, make_stand_in

if TYPE_CHECKING:
    from peer import Policy


class Objects(values.Handles):
    """Our objects, by handle, and our proxies of theirs; what the codec asks for."""

    def __init__(self, policy: Policy, root: Any) -> None:
        self.policy = policy
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
            cls, snaps = self.class_ref(kind), self.policy.snaps(value)
            if not (callable(value) or issubclass(kind, enum.Enum | types.ModuleType)):
                self.object_kinds.add(kind)  # the codec sends its instances here at once
                self.kinds[kind] = (cls["cls"], snaps)
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
            ref["d"] = described.describe(cls, self)
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

    def fill(self, proxy: Proxy, attrs: dict[str, Any]) -> None:
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
        if cls.__str__ is exception_str:
            exc._gs_str = detail  # type: ignore[attr-defined]
        attrs = got.get("attrs")
        for key, value in (attrs if type(attrs) is dict else {}).items():
            with contextlib.suppress(Exception):
                setattr(exc, str(key), value)
        cause = got.get("cause")
        if isinstance(info.get("cause"), dict) and type(cause) is dict:
            exc.__cause__ = self.exception(info["cause"], cause)
        return self.policy.error(info, exc)


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:
        return type(exc).__name__
