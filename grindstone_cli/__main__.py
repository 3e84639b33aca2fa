"""`grindstone`: the operators' command line."""

import argparse
import asyncio
import inspect
import sys

from grindstone_cli import up


def parser() -> argparse.ArgumentParser:
    from grindstone_cli import (
        assignments,
        audit,
        events,
        regrade,
        replay,
        setaside,
        status,
        token,
    )

    root = argparse.ArgumentParser(prog="grindstone", description="Operate a Grindstone system.")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (up, token, assignments, regrade, replay, setaside, status, events, audit):
        module.add_parser(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result = args.run(args)
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
