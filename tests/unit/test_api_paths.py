"""The API's table of paths and methods (common/api_paths.py) is the services' routes, joined."""

import re

from common import api_paths
from services.command_api.app import create_app as command_app
from services.command_api.settings import Settings as CommandSettings
from services.query_api.app import create_app as query_app
from services.query_api.settings import Settings as QuerySettings


def routes() -> dict[str, set[str]]:
    apps = [command_app(CommandSettings(secret="x")), query_app(QuerySettings(secret="x"))]
    found: dict[str, set[str]] = {}
    for app in apps:
        for route in app.routes:
            path = re.sub(r"\{[^}]*\}", "{}", route.path)
            if path.startswith("/api/"):
                found.setdefault(path, set()).update(getattr(route, "methods", set()) - {"OPTIONS"})
    return found


def test_the_table_names_every_route_of_both_apis_with_its_methods():
    assert {path: set(methods) for path, methods in api_paths.PATHS.items()} == routes()


def test_every_path_that_answers_get_answers_head():
    for path, methods in api_paths.PATHS.items():
        assert "GET" not in methods or "HEAD" in methods, path


def test_a_path_is_matched_segment_by_segment():
    assert api_paths.methods("/api/submissions/abc") == ("GET", "HEAD", "DELETE")
    assert api_paths.methods("/api/assignments/") == ("GET", "HEAD")
    assert api_paths.methods("/api/assignments/a/b") is None
    assert api_paths.methods("/api/nothing") is None
