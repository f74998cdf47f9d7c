"""Request bodies: every operation refuses a body over its limit (413) before reading it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from learnmap.core.errors import ApplicationError


class PayloadTooLarge(ApplicationError):
    status = 413


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
