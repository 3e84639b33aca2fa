"""Any character a student writes, prints, returns or raises gets a verdict, kept as it was."""

import pytest

from services.grader.sandbox import Sandbox
from tests.integration.grader.helpers import kattis
from tests.integration.grader.test_sandbox import custom, grade
from tests.odd_characters import ODD

ECHO_TESTS = """
from solution import echo


def test_echo():
    assert echo() == "expected"
"""


async def test_a_nul_in_the_code_is_named_with_its_line_and_column(box: Sandbox):
    status, feedback = await grade(box, custom(ECHO_TESTS, "echo"), "x = 1\nprint(1)\0\n")
    assert status == "failed"
    assert "line 2, column 9 holds a NUL character" in feedback.message
    assert "Python source cannot contain" in feedback.message


async def test_a_nul_after_lone_carriage_returns_is_on_the_line_python_counts(box: Sandbox):
    status, feedback = await grade(box, custom(ECHO_TESTS, "echo"), "x = 1\ry = 2\r\n\u00e9\0")
    assert status == "failed"
    assert "line 3, column 2 holds a NUL character" in feedback.message


async def test_odd_characters_printed_and_returned_are_kept_exactly(box: Sandbox):
    comment = "".join(c for c in ODD if c not in "\0\r\n")  # Python source cannot hold these
    code = f"TEXT = {ODD!r}  # {comment}\n"
    code += "def echo():\n    print(TEXT, end='')\n    return TEXT\n"
    status, feedback = await grade(box, custom(ECHO_TESTS, "echo"), code)
    assert status == "failed"
    (test,) = feedback.tests
    assert test.output == ODD
    assert test.actual == repr(ODD)


@pytest.mark.parametrize(
    ("body", "field", "shown"),
    [
        (
            "import sys\n    sys.stdout.buffer.write(b'\\xff\\xfe bytes')\n    return 'x'",
            "output",
            "\ufffd\ufffd bytes",  # bytes that are not UTF-8: U+FFFD
        ),
        ("print('\\ud800 lone')\n    return 'x'", "output", "\ufffd lone\n"),
        ("return '\\ud800 lone'", "actual", "'\\ud800 lone'"),  # a repr escapes it
        ("raise ValueError('\\udfff lone')", "error", "ValueError: \ufffd lone"),
        ("return {'\\ud800': b'\\xff'}", "actual", "{'\\ud800': b'\\xff'}"),
    ],
)
async def test_what_utf8_cannot_carry_gets_a_verdict_with_u_fffd(
    box: Sandbox, body: str, field: str, shown: str
):
    status, feedback = await grade(box, custom(ECHO_TESTS, "echo"), f"def echo():\n    {body}\n")
    assert status == "failed"
    (test,) = feedback.tests
    assert test.outcome in ("failed", "error")
    assert getattr(test, field) == shown, test


async def test_a_program_printing_odd_characters_and_bad_bytes_gets_its_verdict(box: Sandbox):
    code = f"import sys\nsys.stdout.write({ODD!r})\nsys.stdout.flush()\n"
    code += "sys.stdout.buffer.write(b'\\xff')\nprint('\\ud800')\n"
    status, feedback = await grade(box, kattis("hello"), code)
    assert status == "failed"
    assert "expected 'Hello', got '\\x00\\x01" in feedback.tests[0].message
