"""Ungraded runs in the real sandbox: a program fed stdin, a call evaluated after import, the
error with the student's line, limits that keep what was printed, a call that cannot cheat."""

from events import Limits
from services.grader.results import Ran
from services.grader.sandbox import Sandbox, SandboxRun

LIMITS = Limits(wall_ms=2_000, cpu_ms=1_000, memory_mb=256, output_kb=16)


async def ran(box: Sandbox, code: str, *, stdin: str = "", call: str | None = None) -> Ran:
    style = "module" if call is not None else "stdio"
    job = SandboxRun(code=code, test_style=style, limits=LIMITS, stdin=stdin, call=call)
    result = await box.run(job)
    assert result.ran is not None, result
    return result.ran


async def test_a_program_reads_the_stdin_typed(box):
    out = await ran(box, "name = input()\nprint(f'Hello, {name}!')\n", stdin="Ada\n")
    assert (out.stdout, out.stderr, out.value, out.error, out.limit) == (
        "Hello, Ada!\n", "", None, None, None
    )  # fmt: skip
    assert out.exit_code == 0 and out.time_ms > 0


async def test_a_call_gives_its_value_as_python_writes_it(box):
    code = "def add(a, b):\n    print('adding')\n    return a + b\n"
    out = await ran(box, code, call="add(2, 3)")
    assert (out.value, out.stdout, out.error) == ("5", "adding\n", None)
    out = await ran(box, "def words(s):\n    return s.split()\n", call="words('a  b')")
    assert out.value == "['a', 'b']"


async def test_a_call_does_not_run_the_main_block(box):
    code = "def f():\n    return 1\n\nif __name__ == '__main__':\n    print('main')\n"
    assert (await ran(box, code, call="f()")).stdout == ""
    assert (await ran(box, code)).stdout == "main\n"


async def test_an_error_names_the_students_line(box):
    code = "def div(a, b):\n    return a / b\n"
    out = await ran(box, code, call="div(1, 0)")
    assert out.error is not None
    assert (out.error.type, out.error.line) == ("ZeroDivisionError", 2)
    assert out.error.source_line == "return a / b"
    assert "ZeroDivisionError" in out.stderr and "try_run" not in out.stderr
    assert out.value is None and out.exit_code == 1


async def test_a_mistake_in_the_call_itself_has_no_line_of_theirs(box):
    out = await ran(box, "def add(a, b):\n    return a + b\n", call="ad(1, 2)")
    assert out.error is not None and out.error.type == "NameError" and out.error.line is None
    out = await ran(box, "x = 1\n", call="x +")
    assert out.error is not None and out.error.type == "SyntaxError"


async def test_a_syntax_error_in_the_program_names_its_line(box):
    out = await ran(box, "print('a')\nif True\n    pass\n")
    assert out.error is not None and (out.error.type, out.error.line) == ("SyntaxError", 2)


async def test_a_limit_keeps_what_was_printed(box):
    out = await ran(box, "import sys\nprint('before', flush=True)\nwhile True:\n    pass\n")
    assert out.limit in ("cpu", "wall") and out.stdout == "before\n"
    out = await ran(box, "while True:\n    print('x' * 1000)\n")
    assert out.limit == "output" and out.stdout.startswith("x" * 1000)


async def test_the_call_is_not_left_for_the_program_to_read(box):
    code = "import os\n\ndef files():\n    return sorted(os.listdir('.'))\n"
    assert (await ran(box, code, call="files()")).value == "['solution.py']"


async def test_garbage_on_the_report_descriptor_is_no_report_and_no_fault(box):
    # the report comes from the student's own process: theirs to spoil, never the grader's
    code = "import os\nos.write(3, b'[1, 2')\nos._exit(0)\n"
    out = await ran(box, code, call="None")
    assert (out.value, out.error, out.limit) == (None, None, None)


async def test_runs_and_gradings_share_a_judge(box):
    for _ in range(3):
        assert (await ran(box, "print(input())\n", stdin="again\n")).stdout == "again\n"


async def test_a_long_value_is_cut_and_says_how_much(box):
    out = await ran(box, "def big():\n    return 'x' * 20000\n", call="big()")
    assert out.value is not None and out.value.startswith("'" + "x" * 9_999)
    assert out.value.endswith("(10002 more characters)")


async def test_a_call_reads_the_stdin_given_with_it(box):
    code = "def echo():\n    return input()\n"
    assert (await ran(box, code, call="echo()", stdin="typed\n")).value == "'typed'"
