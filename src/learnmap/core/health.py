"""Health checks for load balancers and orchestrators, at the site root.

- ``/healthz``: the process is up and answering (never touches the database).
- ``/readyz``: the database answers too; 503 when it does not, so a load balancer stops
  sending traffic to this instance until it does.

``HealthCheckMiddleware`` answers both first thing, before host validation, sessions, HTTPS
redirects or anything else: probes often come with the instance's IP as their Host (which
``ALLOWED_HOSTS`` would refuse) and over plain HTTP. The views are also in the URLconf, so the
paths resolve (and reverse) like any other.
"""

from __future__ import annotations

import json
import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

from learnmap.core.outage import RETRY_AFTER_SECONDS

logger = logging.getLogger("learnmap.health")

PATHS = ("/healthz", "/readyz")


def _json(body: dict, status: int = 200) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _json({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Not ready: the database does not answer (%s).", exc)
        body = {
            "type": "about:blank",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "The database does not answer.",
            "code": "database_unavailable",
            "instance": request.path,
        }
        response = _json(body, status=503)
        response["Content-Type"] = "application/problem+json"
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return _json({"status": "ok", "database": "ok"})


class HealthCheckMiddleware:
    """Answers ``GET``/``HEAD`` of the health paths before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in PATHS and request.method in ("GET", "HEAD"):
            return healthz(request) if request.path == "/healthz" else readyz(request)
        return self.get_response(request)
