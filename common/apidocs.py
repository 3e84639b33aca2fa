"""Each API's OpenAPI document (`/api/query/openapi.json`, `/api/command/openapi.json`) and the
page that shows both (`/api/docs`, served by the query API with its script at
`/api/docs.js`: the site's Content-Security-Policy allows scripts of our own origin only)."""

from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin

from common.http import get

PAGE = Path(__file__).with_name("apidocs_page")
DOCUMENTS = {"query": "/api/query/openapi.json", "command": "/api/command/openapi.json"}


def config(service: str, description: str) -> OpenAPIConfig:
    """Litestar builds the document from the routes; we serve it under /api/ ourselves (its
    own routes stay off the API, under /_openapi, which nginx never passes on)."""
    return OpenAPIConfig(
        title=f"Grindstone {service} API",
        version="1",
        description=description,
        path="/_openapi",
        render_plugins=[JsonRenderPlugin()],
        create_examples=False,
    )


def document_route(service: str) -> HTTPRouteHandler:
    @get(DOCUMENTS[service], include_in_schema=False, sync_to_thread=False)
    def openapi_document(request: Request[Any, Any, Any]) -> dict[str, Any]:
        return request.app.openapi_schema.to_schema()

    return openapi_document


@get("/api/docs", include_in_schema=False, sync_to_thread=False)
def docs_page() -> Response[bytes]:
    return Response((PAGE / "docs.html").read_bytes(), media_type="text/html; charset=utf-8")


@get("/api/docs.js", include_in_schema=False, sync_to_thread=False)
def docs_script() -> Response[bytes]:
    return Response((PAGE / "docs.js").read_bytes(), media_type="text/javascript; charset=utf-8")
