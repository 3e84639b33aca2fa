"""`python -m services.push`: serve live submission updates with uvicorn."""

import logging
import re
import sys

import uvicorn

from common import logs
from services.push.app import server_config
from services.push.settings import from_env

_TOKEN = re.compile(r"(token=)[^&\s\"]+")


class RedactTokens(logging.Filter):
    """uvicorn logs each WebSocket's URL; a `?token=` there is a credential."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _TOKEN.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def main() -> None:
    settings = from_env()
    logs.configure(settings.log_level, "push")
    for name in ("uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).addFilter(RedactTokens())
    server = uvicorn.Server(server_config(settings))
    server.run()
    if not server.started:
        sys.exit(3)  # as uvicorn.run: the app did not start (its lifespan failed)


if __name__ == "__main__":
    main()
