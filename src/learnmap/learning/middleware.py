"""Roadmap pages served early from the page cache.

A cached roadmap page (``page_cache``) costs less to serve than the rest of the stack costs to
reach it: routing the address, allauth's and htmx's middleware, and for a visitor without a
session also loading a user who is anonymous and reading messages there are none of (bench/web).
Two middlewares serve it where each kind of visitor's page has everything it depends on, and
leave everything else (another address, a query string, a page not cached yet) to go on through
the stack to the view, which renders and stores the page:

- ``SharedPageMiddleware``, right after Django's CSRF middleware: a visitor without a session
  (so without progress, messages or an account) gets the shared page, with their language,
  CSRF cookie and the security headers already settled above it;
- ``LearnerPageMiddleware``, right after the messages middleware: a visitor with a session
  (signed in, or with progress in it) gets their own page, once the session, the user and any
  messages waiting (which make a page of their own) are known.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.urls.converters import SlugConverter

from learnmap.learning.views.browse import roadmap_if_cached, shared_roadmap_if_cached

_SLUG = "the-roadmaps-slug"


@functools.cache
def roadmap_path() -> re.Pattern[str]:
    """The roadmap page's address, from the URLconf (``learning:roadmap``), as a pattern with
    the slug converter's own: matching it costs a fraction of resolving the address."""
    prefix, suffix = reverse("learning:roadmap", args=[_SLUG]).split(_SLUG)
    return re.compile(f"{re.escape(prefix)}(?P<slug>{SlugConverter.regex}){re.escape(suffix)}")


class _RoadmapPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.cached_page(request) if self.serves(request) else None
        return response if response is not None else self.get_response(request)

    @staticmethod
    def serves(request: HttpRequest) -> bool:
        raise NotImplementedError

    @staticmethod
    def page(request: HttpRequest, slug: str) -> HttpResponse | None:
        raise NotImplementedError

    def cached_page(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or request.GET:
            return None
        match = roadmap_path().fullmatch(request.path)
        if match is None:
            return None
        return self.page(request, match["slug"])


def _has_session(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


class SharedPageMiddleware(_RoadmapPageMiddleware):
    """The shared page, for a visitor without a session (nor messages in a cookie)."""

    @staticmethod
    def serves(request: HttpRequest) -> bool:
        return not _has_session(request)

    @staticmethod
    def page(request: HttpRequest, slug: str) -> HttpResponse | None:
        return shared_roadmap_if_cached(request, slug)


class LearnerPageMiddleware(_RoadmapPageMiddleware):
    """A visitor's own page (or the shared one), for a visitor with a session."""

    @staticmethod
    def serves(request: HttpRequest) -> bool:
        return _has_session(request)

    @staticmethod
    def page(request: HttpRequest, slug: str) -> HttpResponse | None:
        return roadmap_if_cached(request, slug)
