"""The HTTP API's paths and the methods each answers, across the services nginx joins under
/api/ (reads go to query_api, other methods to command_api): what a miss in one service means
for the whole API, and the `Allow` header a 405 carries."""

import re

# `{}` stands for one path segment; tests/unit/test_api_paths.py holds this to the services' routes
PATHS: dict[str, tuple[str, ...]] = {
    "/api/health": ("GET", "HEAD"),
    "/api/assignments": ("GET", "HEAD"),
    "/api/assignments/{}": ("GET", "HEAD"),
    "/api/progress": ("GET", "HEAD"),
    "/api/audit/events": ("GET", "HEAD"),
    "/api/sessions": ("POST",),
    "/api/submissions": ("GET", "HEAD", "POST"),
    "/api/submissions/{}": ("GET", "HEAD", "DELETE"),
    "/api/runs": ("POST",),
    "/api/runs/{}": ("GET", "HEAD"),
    "/api/command/health": ("GET", "HEAD", "POST"),
    "/api/query/openapi.json": ("GET", "HEAD"),
    "/api/command/openapi.json": ("GET", "HEAD"),
    "/api/docs": ("GET", "HEAD"),
    "/api/docs.js": ("GET", "HEAD"),
    "/api/ops/summary": ("GET", "HEAD"),
    "/api/ops/submissions": ("GET", "HEAD"),
    "/api/ops/regrades": ("POST",),
}

_PATTERNS = [
    (re.compile(re.escape(path).replace(re.escape("{}"), "[^/]+") + "/?"), methods)
    for path, methods in PATHS.items()
]


def methods(path: str) -> tuple[str, ...] | None:
    """The methods the API answers at `path`, or None where it has nothing."""
    return next((found for pattern, found in _PATTERNS if pattern.fullmatch(path)), None)
