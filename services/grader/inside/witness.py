"""What a test last did to the student's code, to show the failing case: the call it made
(`add(2, 3)`, rendered before the call, as Python literals, shortened), the value that call
returned, or the stdin a program run read and the text it printed. Runs in the judge.

Rendering never runs the student's code: their objects are named by class, never repr'd.
"""

import re
from builtins import (  # noqa: UP029 - bound now: tests may patch builtins
    bytes,
    dict,
    enumerate,
    frozenset,
    isinstance,
    len,
    list,
    repr,
    set,
    str,
    tuple,
    type,
)
from itertools import pairwise
from typing import Any

from stand_ins import BoundMethod, Proxy, StandIn

CALL_CHARS = 160  # a call longer than this is shortened further
VALUE_CHARS = 1000  # a returned value shown on its own
# (characters of a string, items of a container, depth) tried in turn until the call fits
TIERS = ((60, 10, 4), (24, 5, 3), (10, 3, 2), (4, 2, 1))
PLAIN = frozenset([bool, int, float, complex, type(None)])
CONTAINERS = frozenset([list, tuple, set, frozenset, dict])


# the last frame of solution.py in a traceback the student's program printed to stderr
STUDENT_FRAME = re.compile(r'File "[^"\n]*solution\.py", line (\d+)')


class Witness:
    """The last top-level call of the test running now, and the last program run."""

    def __init__(self, code: str) -> None:
        self.names: dict[int, str] = {}  # the student's module's names, by their handle
        self.code_lines = code.splitlines()
        self.reset()

    def reset(self) -> None:
        self.call: str | None = None
        self.result: Any = None
        self.returned = False
        self.stdin: str | None = None
        self.stdout: str | None = None
        self.crash: dict[str, Any] = {}  # where the last run's program stopped with an error

    def calling(self, name: str, fields: list[tuple[str, Any]]) -> None:
        given = dict(fields)
        self.call = call_text(name, given.get("args", []), given.get("kwargs", {}))
        self.result, self.returned = None, False

    def answered(self, value: Any) -> None:
        self.result, self.returned = value, True

    def running(self, stdin: bytes) -> None:
        """A run of the program starts (a limit may stop it: its input is known already)."""
        self.stdin, self.stdout, self.crash = stdin.decode("utf-8", "replace"), None, {}
        self.call = None

    def ran(self, stdout: str, stderr: str, exit_code: int) -> None:
        self.stdout = stdout
        self.crash = self.crashed(stderr) if exit_code else {}

    def crashed(self, stderr: str) -> dict[str, Any]:
        """The student's line and error from the traceback the program printed, if any."""
        lines = [m.group(1) for m in STUDENT_FRAME.finditer(stderr)]
        last = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        if not lines:
            return {"error": last[0]} if last else {}
        line = int(lines[-1])
        found: dict[str, Any] = {"line": line, "error": last[0] if last else None}
        if 0 < line <= len(self.code_lines):
            found["source_line"] = self.code_lines[line - 1].strip()
        return found

    def shown(self) -> dict[str, Any]:
        """The case fields that show the failing case."""
        found: dict[str, Any] = {}
        if self.call is not None:
            found["call"] = self.call
        if self.stdin is not None:
            found["stdin"] = self.stdin
            found.update({k: v for k, v in self.crash.items() if v is not None})
        return found

    def outcome(self) -> dict[str, Any]:
        """What the last call returned, or what the last program printed, as the actual."""
        if self.call is not None and self.returned:
            return {"actual": literal(self.result, (VALUE_CHARS, 100, 6))[:VALUE_CHARS]}
        if self.stdout is not None:
            return {"actual": self.stdout, "text": True}
        return {}

    def printed(self, want: Any, got: Any) -> tuple[str, str] | None:
        """(expected, actual) as printed text, when `got` is the last run's output (or its
        lines or tokens) and `want` is the same kind of thing; else None."""
        out = self.stdout
        if out is None:
            return None
        if type(got) is str and type(want) is str:
            if got == out:
                return want, out
            if got and got in out:
                return out.replace(got, want, 1), out
            if not got and not out.strip():
                return want + "\n", out
            return None
        if type(got) is not list or type(want) is not list:
            return None
        tokens = [str(item) for item in want]
        if [str(item) for item in got] == out.split():
            return retokenized(out, tokens), out
        lines = out.splitlines()
        if [str(item) for item in got] in (lines, [line.strip() for line in lines]):
            return "".join(line + "\n" for line in tokens), out
        return None


def retokenized(out: str, tokens: list[str]) -> str:
    """`out` with its whitespace-separated tokens replaced by `tokens`, in its layout."""
    spans = [m.span() for m in re.finditer(r"\S+", out)]
    if not spans:
        return " ".join(tokens) + "\n"
    gaps = [out[: spans[0][0]]] + [out[a[1] : b[0]] for a, b in pairwise(spans)]
    gap = gaps[-1] if len(gaps) > 1 else " "
    text = "".join((gaps[i] if i < len(gaps) else gap) + token for i, token in enumerate(tokens))
    return text + out[spans[-1][1] :]


def call_text(name: str, args: Any, kwargs: Any) -> str:
    text = ""
    for tier in TIERS:
        parts = [literal(a, tier) for a in args]
        parts += [f"{k}={literal(v, tier)}" for k, v in dict(kwargs).items()]
        text = f"{name}({', '.join(parts)})"
        if len(text) <= CALL_CHARS:
            return text
    return text[: CALL_CHARS - 2] + "…)"


def literal(value: Any, tier: tuple[int, int, int]) -> str:
    """`value` as a Python literal, within `tier`'s limits; the student's objects by class."""
    chars, items, depth = tier
    kind = type(value)  # exact types first: the common case, and never a stand-in
    if kind is str or kind is bytes:
        return _text(value, chars)
    if kind in PLAIN:
        return _number(value, chars)
    if kind in CONTAINERS:
        if depth <= 0:
            return "[…]" if kind is list else "(…)" if kind is tuple else "{…}"
        return _container(value, (chars, items, depth - 1))
    if isinstance(value, Proxy):
        return f"<{kind.__name__} object>"
    if isinstance(value, StandIn):
        return str(value.__name__)
    if isinstance(value, BoundMethod):
        return repr(value)
    try:
        text = repr(value)  # the tests' own objects: their repr is the tests' code
    except Exception:
        text = f"<{kind.__name__} object>"
    return text if len(text) <= chars * 2 else text[: chars * 2] + "…"


def _text(value: str | bytes, chars: int) -> str:
    if len(value) <= chars:
        return repr(value)
    cut = repr(value[:chars])
    return cut[:-1] + "…" + cut[-1]


def _number(value: Any, chars: int) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int past the digits Python prints
        return "<a very large int>"
    return text if len(text) <= chars * 2 else text[:chars] + "…"


def _container(value: Any, tier: tuple[int, int, int]) -> str:
    items = tier[1]
    kind = type(value)
    if kind is dict:
        pairs = list(value.items())
        shown = [f"{literal(k, tier)}: {literal(v, tier)}" for k, v in pairs[:items]]
        more = ", …" if len(pairs) > items else ""
        return "{" + ", ".join(shown) + more + "}"
    members = list(value)
    shown = [literal(m, tier) for m in members[:items]]
    body = ", ".join(shown) + (", …" if len(members) > items else "")
    if kind is list:
        return f"[{body}]"
    if kind is tuple:
        return f"({body},)" if len(members) == 1 else f"({body})"
    if not members:
        return "set()" if kind is set else "frozenset()"
    return "{" + body + "}" if kind is set else "frozenset({" + body + "})"
