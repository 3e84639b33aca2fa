"""Logging set-up shared by every process: one line per record, to stderr."""

import logging


def configure(level: str, name: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format=f"%(asctime)s {name} %(levelname)s %(name)s: %(message)s",
    )
