"""The messages between the sandbox's processes, in one place. Standard library only.

    worker --(control socket, JSON)--> zygote        {"judge": slot} + the judge's socket fd
    zygote --> worker                                {"slot", "pid"}; at start {"layers", "pid"}
                                                     or {"failed"}
    worker --(judge socket, frames)--> judge         Config, then {"tests": source}
    judge --> worker                                 JSON lines, results.py's records, up to
                                                     one of done, limit, ended, fault
    judge --(SEQPACKET, JSON)--> zygote              ChildRequest + the child's fds
    zygote --> judge                                 {"pid"}, later {"exit", "status", "cpu_ms"}
    judge <--(frames)--> module child                first Loaded, then peer.py's requests
                                                     and answers, both ways

A confined child's exit status tells how it ended (`MEMORY_EXIT`, `CONFINE_FAILED`).
"""

from typing import Any, Literal, TypedDict

MEMORY_EXIT = 86  # a child that ran out of memory (its traceback may not fit any more)
CONFINE_FAILED = 70  # a child that could not confine itself exits with this and says why
FAULT_MARK = "grindstone-sandbox: "  # ... on stderr, after this mark


class NotPlain(Exception):
    """A value the codec cannot write (and its Handles would not name)."""


class Unreadable(ValueError):
    """Data that breaks the format, or names what it may not."""


class Limits(TypedDict):
    wall_ms: int
    cpu_ms: int
    memory_mb: int
    output_kb: int


class Config(TypedDict):
    """A job, as the worker sends it to a judge (its tests follow in a frame of their own)."""

    code: str
    style: Literal["module", "stdio"]
    entry_point: str | None
    limits: Limits


class ChildRequest(TypedDict):
    """A judge asks the zygote for a confined child."""

    mode: Literal["module", "run", "check", "try"]
    limits: Limits
    entry_point: str | None


class Loaded(TypedDict, total=False):
    """A module child's first message."""

    loaded: bool
    load_error: dict[str, Any]  # type, detail, line, source_line
    limit: Literal["memory"]
    out: str
    err: str


class Request(TypedDict, total=False):
    """peer.py: an operation on one of the receiver's objects (handle `h`)."""

    op: str  # getattr setattr delattr call callmethod dunder next snap input stdin
    h: int
    name: str
    n: int
    how: str
    enc: list[list[Any]]  # [field, value as values.py writes it], read in this order
    snaps: list[list[Any]]  # [handle, its attributes]
    out: str
    err: str


class Answer(TypedDict, total=False):
    """peer.py: the answer to a Request; `enc` holds "value" (or "class", "args", "attrs"
    for "raised"), and "wb", what the child changed in the containers it was given."""

    enc: list[list[Any]]
    snaps: list[list[Any]]
    raised: dict[str, Any]  # type, detail, line, source_line
    stop: bool
    stop_after: bool
    raise_after: dict[str, Any]
    limit: Literal["memory"]
    out: str
    err: str
