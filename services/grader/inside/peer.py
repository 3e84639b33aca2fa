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
import types
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    enumerate,
    getattr,
    isinstance,
    len,
    max,
    min,
    next,
    range,
    setattr,
)
from collections.abc import Callable
from typing import Any

import described
import values
from handles import Objects
from stand_ins import BATCH_MAX, COMPARISONS, FORWARDED

SNAP_OBJECTS = 20_000  # objects whose attributes one message may carry
SNAP_ON_MISS = 64  # ... when asked for one object's attributes
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
        return described.instance_attributes(target)

    def snaps(self, target: Any) -> bool:
        """Whether `attributes(target)` gives any (cheaply: per class)."""
        return described.class_plan(type(target)) is not None and hasattr(target, "__dict__")

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


class Peer(Objects):
    def __init__(
        self,
        send: Callable[[dict[str, Any]], None],
        receive: Callable[[], dict[str, Any]],
        policy: Policy,
        root: Any,
    ) -> None:
        super().__init__(policy, root)
        self.send_frame, self.receive_frame = send, receive
        self.writes_ahead = policy.writes_ahead
        self.session = values.Session(self)
        self.depth = 0  # requests being served or waited for
        self.writes: list[tuple[Any, str, Any]] = []  # attribute writes not sent yet
        self.fingerprints: dict[int, Any] = {}  # their container number -> a copy as received

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
        with contextlib.suppress(values.NotPlain):  # plain args only; else the message says it
            values.Session().encode(args)
            fields.append(("args", args))
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
