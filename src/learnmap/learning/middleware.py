"""The shared roadmap page, served early.

Most requests for a roadmap page come from visitors without a session: no progress, no
messages, not signed in. Their page is the shared one in the page cache (``page_cache``), and
what the rest of the stack would do for them (load a user who is anonymous, read messages
there are none of, route the address, run allauth's and htmx's middleware) costs as much again
as serving the page (bench/web). ``SharedPageMiddleware`` sits right after Django's CSRF
middleware, so the page still gets the visitor's language, CSRF cookie and security headers,
and serves it from the cache; anything else (a session, a query string, a page not cached
yet) goes on through the stack to the view, which renders and stores it.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.urls.converters import SlugConverter

from learnmap.learning.views.browse import roadmap_if_cached

_SLUG = "the-roadmaps-slug"


@functools.cache
def roadmap_path() -> re.Pattern[str]:
    """The roadmap page's address, from the URLconf (``learning:roadmap``), as a pattern with
    the slug converter's own: matching it costs a fraction of resolving the address."""
    prefix, suffix = reverse("learning:roadmap", args=[_SLUG]).split(_SLUG)
    return re.compile(f"{re.escape(prefix)}(?P<slug>{SlugConverter.regex}){re.escape(suffix)}")


class SharedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.shared_page(request)
        return response if response is not None else self.get_response(request)

    @staticmethod
    def shared_page(request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or request.GET:
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        match = roadmap_path().fullmatch(request.path)
        if match is None:
            return None
        return roadmap_if_cached(request, match["slug"])
