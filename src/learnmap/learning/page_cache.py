"""Whole-page caching for anonymous visitors: rendered bytes with a precomputed ETag.

A visitor who is not signed in and has tracked nothing on a roadmap sees the same page as every
other such visitor, so it is rendered once per roadmap revision, language, colour theme and
address (and version of the code that renders it: ``code_fingerprint``), and kept in Django's
cache (LocMem by default, Redis or files in production) with the hash of its bytes (the ETag).

Two things in the page belong to the visitor, not to the page, and are settled per request:

- The CSRF token. The page is rendered with a placeholder where the token goes, and the
  visitor's own (masked) token is put in when the bytes are sent. The token is only valid with
  the visitor's CSRF cookie, so the ETag also carries a short hash of that cookie's secret: a
  browser revalidating with another cookie gets a fresh page, never a 304 with a stale token.
- Nothing else: messages, a session with progress on this roadmap, a query string or a signed-in
  user all bypass the cache (``cacheable`` says so).

Responses say ``Cache-Control: private, no-cache`` (a browser may keep the page but must
revalidate; shared caches must not store it) and answer ``If-None-Match`` with a 304.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from learnmap.core.context_processors import theme_from_request

logger = logging.getLogger(__name__)

PAGE_CACHE_VERSION = 1
PAGE_CACHE_SECONDS = 24 * 60 * 60
CSRF_PLACEHOLDER = "learnmapcsrftokenplaceholder0000"  # survives HTML escaping unchanged
CACHE_CONTROL = "private, no-cache"


def cache_get(key: str):
    """A cached value, or None when it is missing or cannot be read (a cache is only a cache:
    an unreadable entry or an unreachable cache server means "render it again")."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Could not read %s from the cache.", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Could not store %s in the cache.", key, exc_info=True)


@dataclass(frozen=True)
class PageHead:
    """What a revalidation needs, kept apart from the (large) body so a 304 never loads it."""

    etag: str  # a hash of the body
    content_type: str


@functools.cache
def code_fingerprint() -> str:
    """Changes when what renders a page does (templates, code, translations, the static files'
    manifest): part of every rendered-page cache key, so a deploy never serves stale pages.
    Worked out once per process from the files' contents (the same on every machine)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    paths = sorted(p for p in package.rglob("*") if p.suffix in {".html", ".py", ".mo"})
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    for path in [*paths, manifest]:
        if path.is_file():
            name = path.relative_to(package) if path.is_relative_to(package) else path.name
            digest.update(str(name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def revision_stamp(roadmap) -> str:
    stamp = int(roadmap.imported_at.timestamp() * 1_000_000) if roadmap.imported_at else 0
    return f"{roadmap.pk}:{roadmap.revision}:{stamp}"


def page_cache_key(*, name: str, roadmap, request: HttpRequest) -> str:
    """Changes with the roadmap's import revision, the language, the theme and the address."""
    path = hashlib.sha256(request.path.encode()).hexdigest()[:16]
    theme = theme_from_request(request) or "auto"
    return (
        f"learning:page:v{PAGE_CACHE_VERSION}:{code_fingerprint()}:{name}:"
        f"{revision_stamp(roadmap)}:{get_language()}:{theme}:{path}"
    )


def cacheable(request: HttpRequest) -> bool:
    """Whether this request may get the shared anonymous page (the caller also checks that
    the visitor tracked nothing on the roadmap)."""
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0


def _etag_for(head: PageHead, request: HttpRequest) -> str:
    secret = request.META.get("CSRF_COOKIE", "")
    visitor = hashlib.sha256(f"learnmap-etag:{secret}".encode()).hexdigest()[:12]
    return f'W/"{head.etag}-{visitor}"'


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(header))


def cached_page(
    request: HttpRequest, *, key: str, render: Callable[[str], HttpResponse]
) -> HttpResponse:
    """The shared page for ``key``: from the cache, or ``render(csrf_token)`` (called with
    the placeholder) stored there first. Answers If-None-Match with a 304, reading only the
    page's head from the cache."""
    head: PageHead | None = cache_get(f"{key}:head")
    body: bytes | None = None
    token = get_token(request)  # also sets the visitor's CSRF cookie if they have none
    if head is None or not _matches(request, _etag_for(head, request)):
        body = cache_get(f"{key}:body") if head is not None else None
        if body is None:
            response = render(CSRF_PLACEHOLDER)
            if response.status_code != 200:
                return response
            body = response.content
            head = PageHead(
                etag=hashlib.sha256(body).hexdigest()[:24], content_type=response["Content-Type"]
            )
            cache_set(f"{key}:body", body, PAGE_CACHE_SECONDS)
            cache_set(f"{key}:head", head, PAGE_CACHE_SECONDS)
    etag = _etag_for(head, request)
    if body is None or _matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(
            body.replace(CSRF_PLACEHOLDER.encode(), token.encode()), content_type=head.content_type
        )
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def private_page(response: HttpResponse) -> HttpResponse:
    """Headers for a page made for one learner: never stored by shared caches."""
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Cookie",))
    return response
