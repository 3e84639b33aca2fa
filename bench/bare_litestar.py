"""A bare Litestar endpoint, one uvicorn process: the ceiling the services' HTTP paths are
measured against.

    python -m bench.bare_litestar PORT
"""

import sys

import uvicorn
from litestar import Litestar, get


@get("/", sync_to_thread=False)
def get_ok() -> dict[str, bool]:
    return {"ok": True}


if __name__ == "__main__":
    app = Litestar(route_handlers=[get_ok])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
