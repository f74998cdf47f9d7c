"""A roadmap's history of accepted changes, a change's diff, and its revert."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learnmap.contributions import selectors, services
from learnmap.contributions.views.common import (
    error_text,
    raise_for_page,
    roadmap_or_404,
)
from learnmap.core.errors import ApplicationError, NotFound

HISTORY_PER_PAGE = 50


# ---- history --------------------------------------------------------------------------------


@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = roadmap_or_404(slug)
    page = Paginator(selectors.change_list(roadmap=roadmap), HISTORY_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "contributions/history.html", {"roadmap": roadmap, "page": page})


def _change_or_404(roadmap, pk: int):
    try:
        return selectors.change_get(roadmap=roadmap, change_id=pk)
    except NotFound:
        raise Http404(_("There is no such change in this roadmap's history.")) from None


@require_GET
def change_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = roadmap_or_404(slug)
    change = _change_or_404(roadmap, pk)
    can_revert = services.can_moderate(
        user=request.user, roadmap=roadmap
    ) and not selectors.change_is_reverted(change=change)
    context = {"roadmap": roadmap, "change": change, "can_revert": can_revert}
    return render(request, "contributions/change.html", context)


@login_required
@require_POST
def change_revert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = roadmap_or_404(slug)
    change = _change_or_404(roadmap, pk)
    try:
        revert = services.change_revert(change_id=change.pk, by=request.user)
    except ApplicationError as exc:
        raise_for_page(exc)
        messages.error(request, error_text(exc))
        return redirect("contributions:change", slug=roadmap.slug, pk=change.pk)
    messages.success(request, _("Reverted: the roadmap is back as it was before that change."))
    return redirect("contributions:change", slug=roadmap.slug, pk=revert.pk)
