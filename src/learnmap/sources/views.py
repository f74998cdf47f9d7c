"""The webhook (``POST /hooks/git/<slug>``), "Sync now" on the maintainer page, and the
maintainer page's panel. Thin: check who asks, call one service or selector, answer."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from learnmap.core.api.ratelimit import RateLimit
from learnmap.core.errors import ApplicationError
from learnmap.linkcheck.views import staff_only  # the maintainer page's own guard
from learnmap.sources import selectors, services

WEBHOOK_LIMIT = RateLimit("git-webhook", per="ip", setting="SOURCES_WEBHOOK_RATE_PER_IP")


def _answer(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


@csrf_exempt  # signed by the Git host instead (services.webhooks)
@require_POST
def webhook(request: HttpRequest, slug: str) -> HttpResponse:
    if not WEBHOOK_LIMIT.allow_request(request):
        response = _answer(429, "Too many webhook requests: try again later.")
        response["Retry-After"] = str(max(1, math.ceil(WEBHOOK_LIMIT.wait() or 60)))
        return response
    try:
        body = request.body
    except RequestDataTooBig:
        return _answer(413, "The webhook's body is too large.")
    try:
        outcome = services.webhook_receive(slug=slug, headers=request.headers, body=body)
    except ApplicationError as exc:
        return _answer(exc.status, exc.message)
    return _answer(outcome.status, outcome.message)


@require_POST
@staff_only
def sync_now(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        source = selectors.source_get(slug=slug)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        services.sync_enqueue(source_id=source.pk)
        messages.success(request, _("A sync from the repository is queued: reload soon."))
    return redirect("linkcheck:roadmap", slug=slug)


@staff_only
def changes_patch(request: HttpRequest, slug: str) -> HttpResponse:
    """The accepted changes the repository lacks, as a patch (``git am`` applies it)."""
    try:
        filename, data = services.changes_patch(slug=slug)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("linkcheck:roadmap", slug=slug)
    response = HttpResponse(data, content_type="text/x-patch; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@staff_only
def changes_discard(request: HttpRequest, slug: str) -> HttpResponse:
    """Drop the accepted changes the repository lacks (a conflict settled in the repository):
    the next sync, queued now, imports the repository's file."""
    try:
        services.changes_discard(slug=slug)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The site's unsent changes were dropped; a sync is queued: reload soon.")
        )
    return redirect("linkcheck:roadmap", slug=slug)


def maintainer_panel(request: HttpRequest, roadmap) -> str:
    """The roadmap's source on its maintainer page ("" when it follows no repository)."""
    source = selectors.source_for_roadmap(roadmap_id=roadmap.pk)
    if source is None:
        return ""
    context = {
        "source": source,
        "roadmap": roadmap,
        "changes_branch": settings.SOURCES_CHANGES_BRANCH,
    }
    return render_to_string("sources/panel.html", context, request=request)
