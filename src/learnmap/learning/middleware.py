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

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from learnmap.learning.views.browse import roadmap_if_cached

ROADMAP_VIEW = "learning:roadmap"


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
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name != ROADMAP_VIEW:
            return None
        return roadmap_if_cached(request, match.kwargs["slug"])
