"""Any character a student writes, prints, returns or raises gets a verdict, kept as it was."""

import pytest

from services.grader.sandbox import Sandbox
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
    assert "line 2, column 9" in feedback.message
    assert "NUL" in feedback.message


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
    "body",
    [
        "import sys\n    sys.stdout.buffer.write(b'\\xff\\xfe bytes')\n    return 'x'",
        "return '\\ud800 lone'",
        "raise ValueError('\\udfff lone')",
        "print('\\ud800')\n    return 'x'",
        "return {'\\ud800': b'\\xff'}",
    ],
)
async def test_what_utf8_cannot_carry_still_gets_a_verdict(box: Sandbox, body: str):
    status, feedback = await grade(box, custom(ECHO_TESTS, "echo"), f"def echo():\n    {body}\n")
    assert status == "failed"
    assert feedback.tests and feedback.tests[0].outcome == "failed"
