"""Conditional reads: every successful GET carries a strong ``ETag`` (of its bytes, or of what
they are made from) and a matching ``If-None-Match`` gets a 304, as RFC 9110 says.

The preconditions are Django's (``django.utils.cache.get_conditional_response``: weak
comparison, ``*``, ``If-Match``); this module only adds the API's caching headers, the same on
the 200 and on the 304 (Django's 304 copies them from the response it is given).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

from learnmap.core.api.auth import Caller
from learnmap.core.api.problems import problem_response

SAFE = ("GET", "HEAD")


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


def _preconditions(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    """Django's answer to the request's preconditions: ``response`` (none applies), a 304
    with its headers, or a 412 (``If-Match`` names another version), as problem details."""
    answer = get_conditional_response(request, etag=etag, response=response)
    if answer.status_code == 412:
        return problem_response(
            request,
            status=412,
            detail="The resource is not the version If-Match names: read it again.",
            code="precondition_failed",
        )
    return answer


def conditional(
    request: HttpRequest, response: HttpResponse, *, etag: str | None = None
) -> HttpResponse:
    """Give a successful read its ETag and caching headers (``etag``, or the hash of its
    bytes), or the 304 (no body) when the client has it already."""
    if request.method not in SAFE or response.status_code != 200:
        return response
    etag = etag or etag_of(response.content)
    return _preconditions(request, _cache_headers(request, response, etag), etag)


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """The 304 (or 412) when the client's preconditions decide with this ETag alone, known
    before anything is rendered; None when the read must be answered in full."""
    if request.method not in SAFE:
        return None
    headers = _cache_headers(request, HttpResponse(), etag)
    answer = _preconditions(request, headers, etag)
    return None if answer is headers else answer
