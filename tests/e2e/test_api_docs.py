"""Both APIs publish their OpenAPI document through nginx, and `/api/docs` is a page that
shows them (its script from our own origin, as the Content-Security-Policy wants)."""

import httpx

from common import api_paths


def test_both_openapi_documents_name_every_route(system):
    with httpx.Client(base_url=system.url, timeout=10) as http:
        documented: set[str] = set()
        for service in ("query", "command"):
            response = http.get(f"/api/{service}/openapi.json")
            assert response.status_code == 200, response.text
            assert response.headers["content-type"].startswith("application/json")
            document = response.json()
            assert document["openapi"].startswith("3.") and document["paths"]
            documented |= {path.replace("{", "<").split("<")[0] for path in document["paths"]}
    for path in api_paths.PATHS:
        if "openapi" not in path and "docs" not in path:
            assert path.split("{")[0] in documented, path


def test_the_docs_page_loads_its_script_from_our_origin(system):
    with httpx.Client(base_url=system.url, timeout=10) as http:
        page = http.get("/api/docs")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert '<script src="/api/docs.js"' in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
        script = http.get("/api/docs.js")
        assert script.status_code == 200 and "openapi.json" in script.text
        assert http.head("/api/docs").status_code == 200
