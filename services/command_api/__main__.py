"""`python -m services.command_api`: serve the command API with uvicorn."""

import uvicorn

from common import logs
from services.command_api.app import create_app
from services.command_api.settings import from_env


def main() -> None:
    settings = from_env()
    logs.configure(settings.log_level, "command_api")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        loop="uvloop",
        http="httptools",
        access_log=False,
    )


if __name__ == "__main__":
    main()
