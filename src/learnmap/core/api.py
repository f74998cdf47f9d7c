"""What every API router shares: problem details, body limits, ETags, paging.

``config/api.py`` builds the one ``NinjaAPI`` from these pieces and maps every error to a
problem details response (RFC 9457) in one place; the routers (``<app>/api.py``) take these
and the authentication and rate limits of ``core/api_access.py``.

- **Problems.** ``Problem`` documents the error body; ``problem_response`` writes it.
- **Bodies.** Every operation refuses a body over its limit (413) before reading it.
- **Conditional reads.** Every successful GET carries a strong ``ETag`` (of its bytes, or of
  what they are made from) and answers ``If-None-Match`` with 304.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import wraps
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from learnmap.core.api_access import Caller
from learnmap.core.errors import ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PAGE_SIZE_DEFAULT = 20
PAGE_SIZE_MAX = 100
PAGE_MAX = 10_000

# --- problem details -----------------------------------------------------------------------------


class Problem(Schema):
    """An error, as RFC 9457 problem details: ``detail`` is a sentence for a person, ``code`` a
    stable name for programs. Some problems add members: ``errors`` (what was wrong in the
    request), ``retry_after`` (seconds, with 429)."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(..., examples=["Not Found"])
    status: int = Field(..., examples=[404])
    detail: str = Field(..., examples=["There is no roadmap with the slug 'rust'."])
    code: str = Field(..., examples=["unknown_roadmap"])
    instance: str = Field(..., examples=["/api/v1/roadmaps/rust"])

    model_config = {
        "extra": "allow",
        "json_schema_extra": {
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "There is no roadmap with the slug 'rust'.",
                    "code": "unknown_roadmap",
                    "instance": "/api/v1/roadmaps/rust",
                }
            ]
        },
    }


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """The ``response=`` entries documenting these error statuses."""
    return dict.fromkeys(statuses, Problem)


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    code: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem details response (``application/problem+json``)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "code": code,
        "instance": request.path,
    }
    body.update((k, v) for k, v in (extra or {}).items() if k not in body)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


class PayloadTooLarge(ApplicationError):
    status = 413


# --- request bodies ------------------------------------------------------------------------------


def body_limit(max_bytes: int | Callable[[], int]) -> Callable:
    """Mark an endpoint's largest accepted body (bytes, or a function reading settings); the
    others take ``API_MAX_BODY_BYTES``. Enforced by :func:`enforce_body_limit`."""

    def mark(func: Callable) -> Callable:
        func.api_body_limit = max_bytes
        return func

    return mark


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def enforce_body_limit(run: Callable) -> Callable:
    """A view decorator for every operation (``api.add_decorator(..., mode="view")``): refuse
    a body over the limit with 413 (``PayloadTooLarge``) before anything reads it."""
    operation = getattr(run, "__self__", None)
    if operation is None:
        raise ImproperlyConfigured("enforce_body_limit must wrap an operation's own run().")
    marked = getattr(operation.view_func, "api_body_limit", None)

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = marked() if callable(marked) else marked
        limit = limit or settings.API_MAX_BODY_BYTES
        length = _content_length(request)
        if length > limit:
            refused = PayloadTooLarge(
                f"The request body is {length:,} bytes; this endpoint takes at most "
                f"{limit:,} bytes.",
                code="body_too_large",
                extra={"max_bytes": limit},
            )
            return operation.api.on_exception(request, refused)  # config/api.py's handlers
        return run(request, *args, **kwargs)

    return wrapper


# --- conditional reads ---------------------------------------------------------------------------


def etag_of(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _cache_headers(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    caller = getattr(request, "auth", None)
    private = isinstance(caller, Caller) and caller.user is not None
    # Clients and caches keep the response but check it each time (a 304 when unchanged).
    response["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    if private:
        patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


def _client_has(request: HttpRequest, etag: str) -> bool:
    """Whether ``If-None-Match`` names this ETag (weak comparison, as RFC 9110 says)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header or request.method not in ("GET", "HEAD"):
        return False
    etags = parse_etags(header)
    return "*" in etags or etag.removeprefix("W/") in {e.removeprefix("W/") for e in etags}


def _not_modified_response(request: HttpRequest, etag: str) -> HttpResponse:
    return _cache_headers(request, HttpResponseNotModified(), etag)


def conditional(request: HttpRequest, response: HttpResponse, *, etag: str | None = None):
    """Give a successful read its ETag and caching headers, and answer a matching
    ``If-None-Match`` with 304 (no body)."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = etag or etag_of(response.content)
    if _client_has(request, etag):
        return _not_modified_response(request, etag)
    return _cache_headers(request, response, etag)


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """A 304 when the client already has the representation with this ETag (known before
    anything is rendered), else None."""
    return _not_modified_response(request, etag) if _client_has(request, etag) else None


# --- paging --------------------------------------------------------------------------------------


class PagePagination(PaginationBase):
    """``?page=2&page_size=50``: pages numbered from 1, at most ``PAGE_SIZE_MAX`` items each.

    Works on querysets and on any sequence that can be sliced and measured (``len``)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX, description="Page number, from 1.")
        page_size: int = Field(
            PAGE_SIZE_DEFAULT,
            ge=1,
            le=PAGE_SIZE_MAX,
            description=f"Items per page (at most {PAGE_SIZE_MAX}).",
        )

        model_config = {"json_schema_extra": {"examples": [{"page": 2, "page_size": 50}]}}

    class Output(Schema):
        items: list[Any]
        count: int = Field(..., description="How many items there are in all.", examples=[85])
        page: int = Field(..., examples=[1])
        page_size: int = Field(..., examples=[20])
        pages: int = Field(..., description="How many pages there are.", examples=[5])

        model_config = {
            "json_schema_serialization_defaults_required": True,
            "json_schema_extra": {
                "examples": [{"items": [], "count": 85, "page": 1, "page_size": 20, "pages": 5}]
            },
        }

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: Sequence, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = pagination.page_size
        offset = (pagination.page - 1) * size
        count = self._items_count(queryset)
        return {
            "items": list(queryset[offset : offset + size]) if offset < count else [],
            "count": count,
            "page": pagination.page,
            "page_size": size,
            "pages": (count + size - 1) // size,
        }
