"""The webhook (``POST /hooks/git/<slug>``), "Sync now" on the maintainer page, and the
maintainer page's panel. Thin: check who asks, call one service or selector, answer."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


@staff_only
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    """What the next sync would do (the commit waiting for a yes, or the branch's head now),
    with rename pins from the form's "Old title=New title" lines."""
    pins = request.GET.get("renames", "")
    shown = services.source_preview(slug=slug, renames=services.renames_parse(pins))
    context = {
        "preview": shown,
        "source": shown.source,
        "roadmap": shown.source.roadmap,
        "plan": shown.plan,
        "renames": pins,
        "parts": _parts(shown.plan),
    }
    return render(request, "sources/preview.html", context)


# The matching rules (catalog's ``sync_plan.RULES``) in words, for the preview.
RULE_WORDS = {
    "pinned": gettext_lazy("pinned by a rename"),
    "slug": gettext_lazy("by the same heading"),
    "urls": gettext_lazy("by the same set of links"),
    "children": gettext_lazy("by its unchanged topics"),
    "title-words": gettext_lazy("by the words of its title"),
    "title-similar": gettext_lazy("by a similar title"),
    "neighbours": gettext_lazy("by its place among unchanged neighbours"),
    "same": gettext_lazy("by the same link and title"),
    "link": gettext_lazy("by the same link"),
    "moved": gettext_lazy("by the same link, elsewhere"),
    "tidied-link": gettext_lazy("by the same link once tidied"),
    "title": gettext_lazy("by the same title"),
}


def _parts(plan) -> list[dict]:
    """The plan's two parts, each item with its rule in words."""
    if plan is None:
        return []
    parts = []
    for key, name, part in (
        ("nodes", _("Sections and topics"), plan.nodes),
        ("resources", _("Resources"), plan.resources),
    ):
        lists = {
            kind: [{"item": i, "rule": RULE_WORDS.get(i.rule, i.rule)} for i in items]
            for kind, items in (
                ("added", part.added),
                ("retired", part.retired),
                ("restored", part.restored),
                ("updated", part.updated),
                ("matched", part.matched),
            )
        }
        parts.append({"id": key, "name": name, "marks": part.marks_retired, **lists})
    return parts


@require_POST
@staff_only
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """Import exactly the previewed head (``sha``) with the pins; a head that moved since is
    not applied: the preview shows the new plan."""
    sha = request.POST.get("sha", "").strip()
    pins = request.POST.get("renames", "")
    back = reverse("sources:preview", args=[slug]) + (
        "?" + urlencode({"renames": pins}) if pins.strip() else ""
    )
    if not sha:
        messages.error(request, _("Nothing to apply: preview the next sync first."))
        return redirect(back)
    try:
        source = selectors.source_get(slug=slug)
        outcome = services.source_sync(
            source_id=source.pk, yes=True, expected_sha=sha, renames=services.renames_parse(pins)
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if outcome is None or outcome.status == services.MOVED:
        messages.warning(
            request,
            _(
                "The branch moved since your preview: nothing was applied. Here is the plan "
                "of its new head."
            ),
        )
        return redirect(back)
    if outcome.failed:
        messages.error(request, outcome.message)
    else:
        messages.success(request, _("Applied: %(message)s") % {"message": outcome.message})
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
