# The code under test is solution.py in this folder. Run: python3 -I test_solution.py
# (PASS/FAIL per test, then "N passed, M failed"; exit status 0 only when all passed),
# or python3 -m pytest test_solution.py.
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)  # python -I leaves the script's folder off the path
