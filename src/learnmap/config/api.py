"""The one NinjaAPI: Learnmap's JSON API under ``/api/v1/``.

Every router comes from its app (``<app>/api.py``); the shared pieces (authentication, rate
limits, ETags, paging, problem details, the docs page) from the ``core.api`` package, whose
token authentication is handed accounts' lookup of tokens here. Every error an endpoint can
meet is turned into problem details (RFC 9457, ``application/problem+json``) here, and only
here.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    Throttled,
    ValidationError,
)
from ninja.renderers import JSONRenderer

from learnmap.accounts.api import router as accounts_router
from learnmap.accounts.api_auth import token_caller
from learnmap.catalog.api import router as catalog_router
from learnmap.contributions.api import router as contributions_router
from learnmap.core.api.auth import token_lookup_set
from learnmap.core.api.bodies import enforce_body_limit
from learnmap.core.api.conditional import conditional
from learnmap.core.api.docs import SwaggerDocs
from learnmap.core.api.problems import PROBLEM_CONTENT_TYPE
from learnmap.core.api.problems import problem_response as problem
from learnmap.core.api.ratelimit import RATE_SETTINGS, rate_parse
from learnmap.core.errors import ApplicationError
from learnmap.core.outage import RETRY_AFTER_SECONDS, database_unavailable
from learnmap.learning.api import router as learning_router

logger = logging.getLogger("learnmap.api")

DESCRIPTION = """\
Roadmaps, their resources and search are public. A learner's progress, notes and tokens need
`Authorization: Bearer <token>` (make a personal access token on the site's account page) or,
for the site's own pages, the session cookie with the `X-CSRFToken` header on writes.

Errors are problem details (RFC 9457): `detail` says what went wrong in a sentence, `code` is a
stable name. Reads send an `ETag`; send it back in `If-None-Match` to get a 304 when nothing
changed. Writes and searches are rate limited (429 with `Retry-After`).
"""


class LearnmapAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return conditional(request, response)

    def _get_urls(self):
        # ninja answers a method an endpoint lacks with a plain-text 405: make it a problem.
        urls = super()._get_urls()
        for pattern in urls:
            if pattern.name == "api-root":
                pattern.callback = api_index
            else:
                pattern.callback = _problem_405(pattern.callback)
        return urls

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for methods in schema["paths"].values():
            for operation in methods.values():
                for parameter in operation.get("parameters", []):
                    # ninja copies a field's examples list here; a parameter's ``examples`` is
                    # a map of named examples in OpenAPI (the list stays in its schema).
                    if isinstance(parameter.get("examples"), list):
                        parameter["examples"] = {
                            f"example{i}": {"value": value}
                            for i, value in enumerate(parameter["examples"], 1)
                        }
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Persian as UTF-8, not \\u escapes


api = LearnmapAPI(
    title="Learnmap API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    renderer=Renderer(),
    docs=SwaggerDocs(),
)
# A rate that does not parse stops the app here, with the setting's name, not on a request.
for _setting in RATE_SETTINGS:
    rate_parse(getattr(settings, _setting), name=_setting)

token_lookup_set(token_caller)  # Bearer tokens are accounts' rows
api.add_decorator(enforce_body_limit, mode="view")
api.add_router("", catalog_router)
api.add_router("", accounts_router)
api.add_router("", learning_router)
api.add_router("", contributions_router)


# --- every error, as problem details ------------------------------------------------------------


# Refusals caused by the state of what the request names rather than by the request itself
# (a retired topic, a section that is not an elective, an account at its token limit, a
# proposal decided already or whose target is gone, a change reverted already, an edit of a
# resource that already reads as asked, a moderator's edit that does not fit the proposal's
# kind).
CONFLICTS = frozenset(
    {
        *("retired", "not_elective", "too_many_tokens"),
        *("conflict", "already_decided", "already_reverted", "nothing_to_change"),
        "fields_mismatch",
    }
)
# The status of the other codes a service raises that are not its plain 400.
STATUS_BY_CODE = {
    "not_authenticated": 401,
    "forbidden": 403,
    "blocked": 403,
    "not_found": 404,
    # A well-formed request the domain refuses as it stands (a proposal's fields, a change
    # that would add a lint error, a decision without a reason).
    "invalid_proposal": 422,
    "lint_errors": 422,
    "invalid": 422,
    "rate_limited": 429,
}


def application_status(exc: ApplicationError) -> int:
    """The HTTP status of a domain error: its own (a 404, a 413), else by its code."""
    if exc.status != 400:
        return exc.status
    if exc.code in CONFLICTS:
        return 409
    if exc.code.startswith("unknown_"):
        return 404
    return STATUS_BY_CODE.get(exc.code, 400)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = application_status(exc)
    headers = None
    if status == 429 and exc.extra.get("retry_after"):
        headers = {"Retry-After": str(max(1, math.ceil(exc.extra["retry_after"])))}
    return problem(
        request,
        status=status,
        detail=exc.message,
        code=exc.code,
        extra=exc.extra,
        headers=headers,
    )


def _where(loc: Any) -> str:
    """``("query", "filters", "language", 0)`` -> ``"query language.0"``: where the caller put
    it, without the names of our own parameter groupings."""
    parts = [str(p) for p in (loc if isinstance(loc, list | tuple) else [loc])]
    if not parts or parts[0] not in ("query", "path", "body", "header", "cookie", "form", "file"):
        return ".".join(parts)
    source, rest = parts[0], parts[1:]
    grouped = source == "body" or (not rest[1].isdigit() if len(rest) > 1 else False)
    if len(rest) > 1 and grouped:
        rest = rest[1:]
    return f"{source} {'.'.join(rest)}".strip()


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"where": _where(e.get("loc", ())), "message": str(e.get("msg", "is not valid"))}
        for e in exc.errors
    ]
    first = f"{errors[0]['where']}: {errors[0]['message']}" if errors else "it is not valid"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return problem(
        request,
        status=422,
        detail=f"The request was not accepted: {first}{more}.",
        code="invalid_request",
        extra={"errors": errors},
    )


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = exc.message if exc.message != "Unauthorized" else None
    return problem(
        request,
        status=401,
        detail=detail
        or "Sign in first: send Authorization: Bearer <token> with a personal access token.",
        code="not_authenticated",
        headers={"WWW-Authenticate": 'Bearer realm="learnmap"'},
    )


@api.exception_handler(AuthorizationError)
def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    detail = exc.message if exc.message != "Forbidden" else "You may not do this."
    return problem(request, status=403, detail=detail, code=getattr(exc, "code", "forbidden"))


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(request, status=403, detail="You may not do this.", code="forbidden")


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = max(1, math.ceil(exc.wait)) if exc.wait else None  # as ninja's Retry-After
    when = f"wait {wait} second(s) and try again" if wait else "wait a little and try again"
    return problem(
        request,
        status=429,
        detail=f"Too many requests: {when}.",
        code="rate_limited",
        extra={"retry_after": wait} if wait else None,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(request, status=404, detail="There is nothing here.", code="not_found")


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem(
        request, status=413, detail="The request body is too large.", code="body_too_large"
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own: 400 for a body that is not JSON, 405...
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "The request body is not valid JSON."
        code = "bad_json"
    else:
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "error"
        )
    return problem(request, status=exc.status_code, detail=detail, code=code)


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    if database_unavailable(exc):  # the server's temporary state, not a bug (core/outage.py)
        logger.warning(
            "503 for %s %s: the database does not answer (%s).", request.method, request.path, exc
        )
        return problem(
            request,
            status=503,
            detail="The database does not answer just now: try again in a few seconds.",
            code="database_unavailable",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    # The traceback goes to the log, never to the caller.
    logger.exception("API error on %s %s", request.method, request.path)
    return problem(
        request,
        status=500,
        detail="Something went wrong on our side. It has been logged; please try again later.",
        code="server_error",
    )


def api_index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """``/api/v1/``: where the documentation is."""
    root = request.path
    return JsonResponse(
        {
            "title": api.title,
            "version": api.version,
            "docs": f"{root}docs",
            "openapi": f"{root}openapi.json",
        }
    )


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Anything under /api/ that is not an endpoint (an older version, a typo)."""
    return problem(
        request,
        status=404,
        detail="There is no such API endpoint: see /api/v1/docs for the ones there are.",
        code="unknown_endpoint",
    )


def _problem_405(view: Callable) -> Callable:
    """The view, with ninja's plain-text 405 turned into problem details (``Allow`` kept)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type") == PROBLEM_CONTENT_TYPE:
            return response
        allowed = response.get("Allow", "")
        return problem(
            request,
            status=405,
            detail=f"{request.method} is not allowed here; use {allowed}.",
            code="method_not_allowed",
            headers={"Allow": allowed},
        )

    return wrapper
