"""When the database does not answer: 503 with ``Retry-After``, never a 500.

A request that fails because the database cannot be reached (it is down, restarting, or the
network to it is) is the server's temporary state, not a bug: the visitor gets a friendly page
(``503.html``) and the API a problem (``database_unavailable``), both saying when to come back.
Any other error, a database error from a bug included, stays a 500.

Mapped in one place for pages (``server_error``, Django's ``handler500`` in the root URLconf:
it sees the errors of every middleware as well as the views') and one for the API
(``config/api.py``'s exception handler). ``/readyz`` says the same with the same
``Retry-After`` (``core/health.py``).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger("learnmap.outage")

# How long a client should wait before trying again while the database does not answer.
RETRY_AFTER_SECONDS = 5
TEMPLATE = "503.html"


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` means the database cannot be reached (not a bug in a query).

    Django raises ``OperationalError`` or ``InterfaceError`` both when a connection fails and
    for some errors of a query on a working one (SQLite's "no such table", a lock timeout), so
    the error's type is not enough: the connection must be gone too. A connection that could
    not be opened is None; one the server dropped is marked closed (or broken) by its driver.
    """
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if raw is None or getattr(raw, "closed", False) or getattr(raw, "broken", False):
            return True
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's ``handler500``: the 503 page while the database does not answer, else Django's
    own 500 (``500.html``)."""
    exc = sys.exc_info()[1]
    if not database_unavailable(exc):
        return defaults.server_error(request)
    logger.warning(
        "503 for %s %s: the database does not answer (%s).", request.method, request.path, exc
    )
    # No context and no request, as Django's 500: nothing that could ask the database again.
    body = loader.get_template(TEMPLATE).render()
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
