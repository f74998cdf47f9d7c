"""Errors as problem details (RFC 9457, ``application/problem+json``).

``Problem`` documents the error body in the OpenAPI schema (``problems(404, 422)`` in an
operation's ``response=``); ``problem_response`` writes it. ``config/api.py`` maps every
error an endpoint can meet to one of these, in one place.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(Schema):
    """An error, as RFC 9457 problem details: ``detail`` is a sentence for a person, ``code`` a
    stable name for programs. Some problems add members: ``errors`` (what was wrong in the
    request), ``retry_after`` (seconds, with 429)."""

    type: str = Field("about:blank", examples=["about:blank"])
    title: str = Field(..., examples=["Not Found"])
    status: int = Field(..., examples=[404])
    detail: str = Field(..., examples=["There is no roadmap with the slug 'rust'."])
    code: str = Field(..., examples=["unknown_roadmap"])
    instance: str = Field(..., examples=["/api/v1/roadmaps/rust"])

    model_config = {
        "extra": "allow",
        "json_schema_extra": {
            "examples": [
                {
                    "type": "about:blank",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "There is no roadmap with the slug 'rust'.",
                    "code": "unknown_roadmap",
                    "instance": "/api/v1/roadmaps/rust",
                }
            ]
        },
    }


def problems(*statuses: int) -> dict[int, type[Problem]]:
    """The ``response=`` entries documenting these error statuses."""
    return dict.fromkeys(statuses, Problem)


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str,
    code: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """A problem details response (``application/problem+json``)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "code": code,
        "instance": request.path,
    }
    body.update((k, v) for k, v in (extra or {}).items() if k not in body)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    response["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response[name] = value
    return response
