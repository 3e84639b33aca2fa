import os
import sys
import traceback


def _where(frame_summary):
    name = os.path.basename(frame_summary.filename)
    return f"{name} line {frame_summary.lineno}: {(frame_summary.line or '').strip()}"


def _report(name, exc):
    here = os.path.abspath(__file__)
    message = str(exc).strip()
    print(f"FAIL {name}: {type(exc).__name__}" + (f": {message}" if message else ""))
    frames = list(traceback.walk_tb(exc.__traceback__))
    summaries = traceback.extract_tb(exc.__traceback__)
    if summaries and os.path.basename(summaries[-1].filename) == "solution.py":
        print(f"  at {_where(summaries[-1])}")
    elif isinstance(exc, SyntaxError) and exc.filename:
        text = (exc.text or "").strip()
        print(f"  in {os.path.basename(exc.filename)} line {exc.lineno}: {text}")
    mine = [i for i, s in enumerate(summaries) if os.path.abspath(s.filename) == here]
    if not mine:
        return
    print(f"  at {_where(summaries[mine[-1]])}")
    values = frames[mine[-1]][0].f_locals
    if isinstance(exc, AssertionError) and "expected" in values and "got" in values:
        print(f"  expected: {values['expected']!r}"[:2000])
        print(f"  got:      {values['got']!r}"[:2000])


def _main():
    tests = [
        (name, fn)
        for name, fn in list(globals().items())
        if name.startswith("test_") and callable(fn) and fn.__module__ == __name__
    ]
    failed = 0
    for name, fn in tests:
        try:
            fn()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # a student's exit() is a failure too, not the end
            failed += 1
            _report(name, exc)
        else:
            print(f"PASS {name}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(_main())
