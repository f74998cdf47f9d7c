"""The API's browsable documentation (Swagger UI), served from django-ninja's own files.

Nothing comes from a CDN (a self-hosted site may have no internet). The few files the page
needs are served by a small view straight from the installed django-ninja package rather than
through ``collectstatic``: ninja ships 8 MB of static files (source maps, a second docs UI),
and compressing them at every fresh start would cost tens of seconds for a page few open.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe
from ninja.openapi.docs import DocsBase

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg", "favicon.png"}
)
ASSET_CACHE_SECONDS = 24 * 60 * 60


class SwaggerDocs(DocsBase):
    """Swagger UI for the API, with our template and asset URLs."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        swagger = {"layout": "BaseLayout", "deepLinking": True}
        swagger["url"] = self.get_openapi_url(api, kwargs)
        # The page sends the session's CSRF token, so "Try it out" works when signed in.
        return render(request, "core/api_docs.html", {"api": api, "swagger_settings": swagger})


def _modified(request: HttpRequest, name: str) -> datetime | None:
    path = ASSETS_DIR / name
    if name not in ASSETS or not path.is_file():
        return None
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


@require_safe
@gzip_page
@condition(last_modified_func=_modified)
def docs_asset(request: HttpRequest, name: str) -> HttpResponse:
    """One of the docs page's files (a 304 when the browser has it already)."""
    if name not in ASSETS:
        raise Http404("No such file.")
    path = ASSETS_DIR / name
    response = FileResponse(
        path.open("rb"), content_type=mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    response["Cache-Control"] = f"public, max-age={ASSET_CACHE_SECONDS}"
    return response
