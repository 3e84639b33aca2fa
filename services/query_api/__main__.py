"""`python -m services.query_api`: serve the query API with uvicorn."""

import uvicorn

from common import logs
from services.query_api.app import create_app
from services.query_api.settings import from_env


def main() -> None:
    settings = from_env()
    logs.configure(settings.log_level, "query_api")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        loop="uvloop",
        http="httptools",
        access_log=False,
        proxy_headers=False,  # no read depends on the client's address
    )


if __name__ == "__main__":
    main()
