"""Link health pages, for staff: a roadmap's broken and moved links, and "recheck now".

Thin: check who asks, call one selector or service, render or redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core import maintainer
from learnmap.core.errors import NotFound
from learnmap.linkcheck import selectors, services
from learnmap.linkcheck.models import RunKind


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-out visitors are sent to sign in; signed-in ones who are not staff get a 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _roadmap_or_404(slug: str):
    try:
        return catalog_selectors.roadmap_header_get(slug=slug)
    except NotFound:
        raise Http404(_("There is no such roadmap.")) from None


@require_GET
@staff_only
def roadmap_links(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = _roadmap_or_404(slug)
    report = selectors.roadmap_link_report(roadmap=roadmap)
    # What other apps show maintainers about this roadmap (its Git source...).
    panels = maintainer.panels_render(request=request, roadmap=roadmap)
    context = {"report": report, "roadmap": roadmap, "panels": panels}
    response = render(request, "linkcheck/roadmap_links.html", context)
    response["Cache-Control"] = "private, no-cache"
    return response


@require_POST
@staff_only
def recheck(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = _roadmap_or_404(slug)
    _run, created = services.check_run_request(
        roadmap_id=roadmap.pk, kind=RunKind.MANUAL, requested_by=request.user
    )
    if created:
        messages.success(request, _("A check of these links is queued: reload this page soon."))
    else:
        messages.info(request, _("A check of these links is already waiting or running."))
    return redirect("linkcheck:roadmap", slug=roadmap.slug)
