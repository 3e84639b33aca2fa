import os
import subprocess
import sys

PROGRAM = os.path.join(os.path.dirname(os.path.abspath(__file__)), "solution.py")
TIME_LIMIT_S = 10


def run_program(stdin_text):
    """Run solution.py with this standard input; return what it printed."""
    try:
        proc = subprocess.run(
            [sys.executable, PROGRAM],
            input=stdin_text,
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_S,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(f"solution.py ran for more than {TIME_LIMIT_S} s") from None
    if proc.returncode != 0:
        error = proc.stderr.strip()[-800:]
        raise AssertionError(f"solution.py stopped with exit status {proc.returncode}:\n{error}")
    return proc.stdout
