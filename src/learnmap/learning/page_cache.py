"""Whole-page caching: rendered bytes, with a precomputed ETag for the shared page.

A visitor who is not signed in and has tracked nothing on a roadmap sees the same page as every
other such visitor, so it is rendered once per roadmap revision, language, colour theme and
address (and version of the code that renders it: ``code_fingerprint``), and kept in Django's
cache (files or Redis, ``config/settings/cache.py``) with the hash of its bytes (the ETag). It is
rendered from a request made for it (``shared_request``: the address, language and theme,
no cookie, session or user), never from the visitor's own, so nothing of the visitor who
happened to ask first can reach the page every other visitor gets.

A learner with progress (signed in, or anonymous with progress in their session) gets a page of
their own, which is a function of the same things and of their state on the roadmap: it is kept
under a key that adds a digest of that state (``learner_variant``), so it is rendered again
after each change and reused until the next. Those pages stay in the worker's memory only
(``shared=False``): one per learner and change would crowd the shared cache.

Every page this module serves is also kept for a minute in the worker's memory (``_memo``), so
a busy page costs no cache read: the bytes for a key never change, and the minute bounds how
long a worker keeps a page after the shared cache was cleared. Reading and writing go through
``catalog.cache`` (keys, revision stamps): an unreadable entry is a miss, never an error.

Two things in the page belong to the visitor, not to the page, and are settled per request:

- The CSRF token. The page is rendered with a placeholder where the token goes (a word drawn at
  random for that rendering, so no text of a roadmap can pass for it), kept cut there, and the
  visitor's own token (Django's ``get_token``, masked anew for each response) is put in when
  the bytes are sent. The token is only
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
import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language

from learnmap.catalog import cache
from learnmap.core.context_processors import THEME_COOKIE, theme_from_request

PAGE_CACHE_VERSION = 3
PAGE_CACHE_SECONDS = 24 * 60 * 60
CACHE_CONTROL = "private, no-cache"


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


def page_cache_key(*, name: str, roadmap, request: HttpRequest, learner: str = "") -> str:
    """Changes with the roadmap's import revision, the language, the theme and the address,
    and with ``learner`` (``learner_variant``) for a learner's own page."""
    path = hashlib.sha256(request.path.encode()).hexdigest()[:16]
    theme = theme_from_request(request) or "auto"
    extra = (code_fingerprint(), name, get_language(), theme, path)
    return cache.revision_key("page", PAGE_CACHE_VERSION, roadmap, *extra, *filter(None, [learner]))


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
_memo = cache.Memo(MEMO_SIZE, seconds=MEMO_SECONDS)


def memo_clear() -> None:
    """Forget the worker's copies (tests that swap the cache call this)."""
    _memo.clear()


def _is_body(value) -> bool:
    return isinstance(value, list) and all(isinstance(part, bytes) for part in value)


def shared_request(request: HttpRequest) -> HttpRequest:
    """A request for the shared page at ``request``'s address, made for rendering it: the
    address, host, scheme, language (already active) and colour theme of the visitor's, and
    nothing else of theirs (no cookie but the theme's, no session, an anonymous user, no
    messages, no headers). What the shared page shows can then only come from the catalog."""
    host = request.get_host()
    theme = theme_from_request(request)
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": request.META.get("SCRIPT_NAME", ""),
        "PATH_INFO": request.path_info,
        "QUERY_STRING": "",
        "SERVER_NAME": host.rsplit(":", 1)[0],
        "SERVER_PORT": request.get_port(),
        "HTTP_HOST": host,
        "wsgi.url_scheme": request.scheme,
        "wsgi.input": io.BytesIO(b""),
    }
    if request.is_secure():
        environ["HTTPS"] = "on"
    if theme:
        environ["HTTP_COOKIE"] = f"{THEME_COOKIE}={theme}"
    synthetic = WSGIRequest(environ)
    synthetic.LANGUAGE_CODE = get_language()
    synthetic.user = AnonymousUser()
    synthetic.session = SessionStore()  # empty, never saved: an anonymous learner with nothing
    synthetic.csrf_processing_done = True
    return synthetic


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


def cached_page(
    request: HttpRequest,
    *,
    key: str,
    render: Callable[[HttpRequest, str], HttpResponse] | None,
    shared: bool = True,
) -> HttpResponse | None:
    """The page for ``key``: from the worker's memory or the cache, or ``render(request,
    csrf_token)`` (called with a placeholder drawn for this rendering) stored there first; None
    when it is not stored and there is no ``render``. The shared page (``shared``) is rendered
    from ``shared_request(request)``, kept in the cache and answers If-None-Match with a 304,
    reading only the page's head from the cache; a learner's own page (not ``shared``) is
    rendered from their request and kept in the worker's memory only, with their token in."""
    token = get_token(request)  # also sets the visitor's CSRF cookie if they have none
    if not shared:
        key = f"{key}:{_visitor(request)}"
    found = _memo.get(key)
    head, parts = found if found is not None else (None, None)
    if head is None and shared:
        head = cache.get(f"{key}:head", expect=PageHead)
        if head is not None and not get_conditional_response(
            request, etag=_etag_for(head, request)
        ):
            stored = cache.get(f"{key}:body", expect=_is_body)
            if stored is None:
                head = None
            else:
                parts = _memo.put(key, (head, stored))[1]
    if head is None:
        if render is None:
            return None
        placeholder = f"learnmapcsrf{secrets.token_hex(16)}"  # survives HTML escaping unchanged
        response = render(shared_request(request) if shared else request, placeholder)
        if response.status_code != 200:
            return response
        parts = response.content.split(placeholder.encode())
        head = PageHead(etag=_parts_hash(parts), content_type=response["Content-Type"])
        if shared:
            cache.put(f"{key}:body", parts, PAGE_CACHE_SECONDS)
            cache.put(f"{key}:head", head, PAGE_CACHE_SECONDS)
        else:
            parts = [token.encode().join(parts)]
        parts = _memo.put(key, (head, parts))[1]
    etag = _etag_for(head, request) if shared else None
    # Django's preconditions: a 304 (or a 412 for an If-Match that names another page).
    response = get_conditional_response(request, etag=etag) if etag is not None else None
    if response is None:  # (when the body was not read, the head matched: a 304 above)
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
