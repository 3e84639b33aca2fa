"""The student's code's errors in their terms: type, message, their line (in the child)."""

import traceback
import types
from typing import Any

TEXT_CHARS = 2048  # of an error's message


def describe(exc: BaseException, path: str) -> dict[str, Any]:
    """The exception in the student's terms: type, message, their line."""
    detail = exc.msg if isinstance(exc, SyntaxError) else _text(exc)
    info: dict[str, Any] = {"type": type(exc).__name__, "detail": detail[:TEXT_CHARS]}
    if isinstance(exc, SyntaxError) and exc.filename == path:
        info.update(line=exc.lineno, source_line=(exc.text or "").strip() or None)
        return info
    theirs = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    if theirs:
        info.update(line=theirs[-1].lineno, source_line=theirs[-1].line)
    return info


def _text(exc: BaseException) -> str:
    try:
        return str(exc).strip()
    except Exception:  # a broken __str__, or an int too long to print
        return ""


def compiled(path: str) -> tuple[types.CodeType | None, dict[str, Any] | None]:
    """solution.py compiled, or the load error its syntax makes."""
    with open(path, "rb") as f:
        source = f.read()
    try:
        return compile(source, path, "exec", dont_inherit=True), None
    except SyntaxError as exc:
        return None, describe(exc, path)
    except ValueError as exc:  # CPython refuses source with NUL characters
        if b"\0" not in source:
            return None, {"type": "SyntaxError", "detail": _text(exc)}
        return None, _nul_error(source)


def _nul_error(source: bytes) -> dict[str, Any]:
    """Where the first NUL is, in the student's terms (lines and columns count from 1, and
    \r\n, \r and \n each end a line, as for Python)."""
    text = source.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    before = text[: text.index("\0")]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    shown = text.split("\n")[line - 1].replace("\0", "\\0")
    detail = (
        f"line {line}, column {column} holds a NUL character (\\0), "
        "which Python source cannot contain; remove it"
    )
    return {"type": "SyntaxError", "detail": detail, "line": line, "source_line": shown.strip()}
