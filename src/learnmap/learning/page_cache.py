"""Whole-page caching: rendered bytes, with a precomputed ETag for the shared page.

A visitor who is not signed in and has tracked nothing on a roadmap sees the same page as every
other such visitor, so it is rendered once per roadmap revision, language, colour theme and
address (and version of the code that renders it: ``code_fingerprint``), and kept in Django's
cache (LocMem by default, Redis or files in production) with the hash of its bytes (the ETag).

A learner with progress (signed in, or anonymous with progress in their session) gets a page of
their own, which is a function of the same things and of their state on the roadmap: it is kept
under a key that adds a digest of that state (``learner_variant``), so it is rendered again
after each change and reused until the next. Those pages stay in the worker's memory only
(``shared=False``): one per learner and change would crowd the shared cache.

Every page this module serves is also kept for a minute in the worker's memory (``_memo``), so
a busy page costs no cache read: the bytes for a key never change, and the minute bounds how
long a worker keeps a page after the shared cache was cleared.

Two things in the page belong to the visitor, not to the page, and are settled per request:

- The CSRF token. The page is rendered with a placeholder where the token goes (a word drawn at
  random for that rendering, so no text of a roadmap can pass for it), kept cut there, and the
  visitor's own token is put in when the bytes are sent (``form_token``). The token is only
  valid with the visitor's CSRF cookie, so the ETag also carries a short hash of that cookie's
  secret: a browser revalidating with another cookie gets a fresh page, never a 304 with a
  stale token. A learner's own page is kept with their token in it (per CSRF cookie), so
  serving it again copies nothing.
- Nothing else: messages or a query string bypass the cache (``cacheable`` says so).

Responses say ``Cache-Control: private, no-cache`` (a browser may keep the page but must
revalidate; shared caches must not store it); the shared page answers ``If-None-Match`` with a
304.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cachetools import TTLCache
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

from learnmap.core.context_processors import theme_from_request

logger = logging.getLogger(__name__)

PAGE_CACHE_VERSION = 2
PAGE_CACHE_SECONDS = 24 * 60 * 60
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


def page_cache_key(*, name: str, roadmap, request: HttpRequest, learner: str = "") -> str:
    """Changes with the roadmap's import revision, the language, the theme and the address,
    and with ``learner`` (``learner_variant``) for a learner's own page."""
    path = hashlib.sha256(request.path.encode()).hexdigest()[:16]
    theme = theme_from_request(request) or "auto"
    return (
        f"learning:page:v{PAGE_CACHE_VERSION}:{code_fingerprint()}:{name}:"
        f"{revision_stamp(roadmap)}:{get_language()}:{theme}:{path}"
        + (f":{learner}" if learner else "")
    )


def learner_variant(*, user, state) -> str:
    """What a learner's own page depends on besides the roadmap: who they are (a signed-in
    ``user``'s page is never shared, whatever it shows; staff see more) and a digest of their
    state (a ``figures.LearnerState``)."""
    parts = (
        sorted((str(key), value) for key, value in state.node_states.items()),
        sorted(str(key) for key in state.resources_done),
        sorted(str(key) for key in state.electives),
        sorted(str(key) for key in state.notes),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    if user is None:
        return f"visitor:{digest}"
    return f"user{user.pk}{':staff' if user.is_staff else ''}:{digest}"


def cacheable(request: HttpRequest) -> bool:
    """Whether this request may get a cached page: a plain GET with no messages waiting."""
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    return len(get_messages(request)) == 0


# --- the worker's own copies ---------------------------------------------------------------------

MEMO_SIZE = 64  # pages (~100 kB each)
MEMO_SECONDS = 60
# (head, the body in parts around the CSRF placeholder: joined with a visitor's token, they
# make their page in one copy; a learner's own page, with their token in, is one part)
_memo: TTLCache[str, tuple[PageHead, list[bytes]]] = TTLCache(MEMO_SIZE, MEMO_SECONDS)
_memo_lock = threading.Lock()  # cachetools' caches are not thread-safe


def _memo_get(key: str) -> tuple[PageHead, list[bytes]] | None:
    with _memo_lock:
        return _memo.get(key)


def _memo_set(key: str, head: PageHead, parts: list[bytes]) -> list[bytes]:
    with _memo_lock:
        _memo[key] = (head, parts)
    return parts


def memo_clear() -> None:
    """Forget the worker's copies (tests that swap the cache call this)."""
    with _memo_lock:
        _memo.clear()


def form_token(request: HttpRequest) -> str:
    """The CSRF token this visitor's forms carry on a cached page: the secret of their CSRF
    cookie, and a new cookie for a visitor who has none.

    ``CsrfViewMiddleware`` has read the cookie's secret into ``CSRF_COOKIE``; Django accepts
    the secret itself as a form token as well as a masked one. Masking anew for every response
    is Django's defence against BREACH, which guesses a secret in a compressed page (the
    deploy's nginx compresses pages) from the page's size as the attacker varies text the page
    reflects from the request: a cached page reflects nothing from the request (its bytes are
    fixed before any visitor asks, the token aside), so there is nothing to vary. The pages
    that do reflect the request (search, filters) keep Django's masked tokens.

    For a visitor without a cookie this does what ``get_token`` does (a new secret in
    ``CSRF_COOKIE``, flagged so the middleware sets the cookie), drawing the secret from one
    read of the system's random source where ``get_token`` makes 64: for a first visit, that
    was half of what serving the cached page cost (bench/web).
    """
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = _new_csrf_secret()
        request.META.update({"CSRF_COOKIE": secret, "CSRF_COOKIE_NEEDS_UPDATE": True})
    return secret


def _new_csrf_secret() -> str:
    """A secret as Django's CSRF middleware makes them: CSRF_SECRET_LENGTH characters drawn
    uniformly from CSRF_ALLOWED_CHARS by the system's random source (a random byte picks a
    character by its remainder; bytes past the largest multiple of the alphabet's size are
    dropped, so no character is more likely)."""
    secret = ""
    while len(secret) < CSRF_SECRET_LENGTH:
        secret += secrets.token_bytes(48).translate(_BYTE_TO_CHAR, _BIASED_BYTES).decode()
    return secret[:CSRF_SECRET_LENGTH]


_UNBIASED = 256 - 256 % len(CSRF_ALLOWED_CHARS)
_BYTE_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(256))
_BIASED_BYTES = bytes(range(_UNBIASED, 256))


def _parts_hash(parts: list[bytes]) -> str:
    """A hash of a page cut at its token: the same whichever placeholder rendered it."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:24]


def _visitor(request: HttpRequest) -> str:
    """A short hash of the visitor's CSRF cookie secret: what their token depends on."""
    secret = request.META.get("CSRF_COOKIE", "")
    return hashlib.sha256(f"learnmap-etag:{secret}".encode()).hexdigest()[:12]


def _etag_for(head: PageHead, request: HttpRequest) -> str:
    return f'W/"{head.etag}-{_visitor(request)}"'


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    return any(tag == "*" or tag.removeprefix("W/") == wanted for tag in parse_etags(header))


def cached_page(
    request: HttpRequest,
    *,
    key: str,
    render: Callable[[str], HttpResponse] | None,
    shared: bool = True,
) -> HttpResponse | None:
    """The page for ``key``: from the worker's memory or the cache, or ``render(csrf_token)``
    (called with a placeholder drawn for this rendering) stored there first; None when it is not
    stored and there is no ``render``. The shared page (``shared``) is kept in the cache and
    answers If-None-Match with a 304, reading only the page's head from the cache; a learner's
    own page (not ``shared``) is kept in the worker's memory only, with the visitor's token
    already in it."""
    token = form_token(request)  # also sets the visitor's CSRF cookie if they have none
    if not shared:
        key = f"{key}:{_visitor(request)}"
    found = _memo_get(key)
    head, parts = found if found is not None else (None, None)
    if head is None and shared:
        head = cache_get(f"{key}:head")
        if head is not None and not _matches(request, _etag_for(head, request)):
            stored = cache_get(f"{key}:body")
            if stored is None:
                head = None
            else:
                parts = _memo_set(key, head, stored)
    if head is None:
        if render is None:
            return None
        placeholder = f"learnmapcsrf{secrets.token_hex(16)}"  # survives HTML escaping unchanged
        response = render(placeholder)
        if response.status_code != 200:
            return response
        parts = response.content.split(placeholder.encode())
        head = PageHead(etag=_parts_hash(parts), content_type=response["Content-Type"])
        if shared:
            cache_set(f"{key}:body", parts, PAGE_CACHE_SECONDS)
            cache_set(f"{key}:head", head, PAGE_CACHE_SECONDS)
        else:
            parts = [token.encode().join(parts)]
        parts = _memo_set(key, head, parts)
    etag = _etag_for(head, request) if shared else None
    if parts is None or (etag is not None and _matches(request, etag)):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(token.encode().join(parts), content_type=head.content_type)
    if etag is not None:
        response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def private_page(response: HttpResponse) -> HttpResponse:
    """Headers for a page made for one learner: never stored by shared caches."""
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ("Cookie",))
    return response
