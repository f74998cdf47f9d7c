"""Proposing from a node or a resource, and a contributor's own proposals (My proposals,
revising one a moderator asked changes for)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions import selectors, services
from learnmap.contributions.forms import IntroForm, ReasonForm, ResourceForm
from learnmap.contributions.models import PENDING, ProposalKind
from learnmap.contributions.views.common import (
    add_error,
    node_or_404,
    private,
    proposal_base,
    raise_for_page,
    rate_limited,
    resource_fields,
    resource_or_404,
)
from learnmap.core import links
from learnmap.core.errors import ApplicationError, NotFound

# ---- proposing ------------------------------------------------------------------------------


def _propose(request, form, *, kind: str, context: dict, **target) -> HttpResponse:
    """Create the proposal the valid ``form`` asks for, or show the form again with why not."""
    if request.method == "POST" and form.is_valid():
        if kind == ProposalKind.ADD_RESOURCE:
            fields = {k: v for k, v in form.resource_fields().items() if v}
        elif kind == ProposalKind.EDIT_RESOURCE:
            fields = form.changed_fields(resource_fields(context["resource"]))
        elif kind == ProposalKind.EDIT_INTRO:
            fields = {"intro": form.cleaned_data.get("intro") or ""}
        else:
            fields = {}
        try:
            services.proposal_create(
                author=request.user,
                kind=kind,
                fields=fields,
                reason=form.cleaned_data.get("reason", ""),
                **target,
            )
        except ApplicationError as exc:
            if exc.code == "rate_limited":
                return rate_limited(request, exc)
            raise_for_page(exc)
            add_error(form, exc)
        else:
            messages.success(
                request, _("Thank you: your proposal is waiting for a moderator's review.")
            )
            return redirect("contributions:mine")
    status = 400 if form.is_bound else 200
    response = render(
        request, "contributions/propose.html", {**context, "form": form}, status=status
    )
    return private(response)


@login_required
@require_http_methods(["GET", "POST"])
def propose_add(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    node = node_or_404(key)
    form = ResourceForm(request.POST or None, new=True)
    context = {"node": node, "roadmap": node.roadmap, "kind": ProposalKind.ADD_RESOURCE}
    return _propose(request, form, kind=ProposalKind.ADD_RESOURCE, context=context, node_key=key)


@login_required
@require_http_methods(["GET", "POST"])
def propose_intro(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    node = node_or_404(key)
    try:
        current = services.intro_current(node=node)
    except ApplicationError as exc:
        raise_for_page(exc)
        raise Http404(exc.message) from None
    form = IntroForm(request.POST or None, initial={"intro": current})
    context = {"node": node, "roadmap": node.roadmap, "kind": ProposalKind.EDIT_INTRO}
    return _propose(request, form, kind=ProposalKind.EDIT_INTRO, context=context, node_key=key)


@login_required
@require_http_methods(["GET", "POST"])
def propose_edit(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """``?report=moved``: the report of a link link health found moved, as the fix it asks
    for (the new address filled in, the check's finding as the reason)."""
    resource = resource_or_404(key)
    initial = resource_fields(resource)
    moved = _moved_to(resource.url) if request.GET.get("report") == "moved" else None
    if moved:
        initial.update(url=moved, reason=_link_report(resource.url))
    form = ResourceForm(request.POST or None, initial=initial)
    context = {
        "node": resource.node,
        "roadmap": resource.roadmap,
        "resource": resource,
        "kind": ProposalKind.EDIT_RESOURCE,
    }
    return _propose(
        request, form, kind=ProposalKind.EDIT_RESOURCE, context=context, resource_key=key
    )


@login_required
@require_http_methods(["GET", "POST"])
def propose_remove(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """Report a resource; one whose link moved is reported as the edit of its address."""
    resource = resource_or_404(key)
    if request.method == "GET" and _moved_to(resource.url):
        return redirect(reverse("contributions:propose-edit", args=[key]) + "?report=moved")
    form = ReasonForm(request.POST or None, initial={"reason": _link_report(resource.url)})
    context = {
        "node": resource.node,
        "roadmap": resource.roadmap,
        "resource": resource,
        "kind": ProposalKind.REMOVE_RESOURCE,
    }
    return _propose(
        request, form, kind=ProposalKind.REMOVE_RESOURCE, context=context, resource_key=key
    )


def _moved_to(url: str) -> str | None:
    """Where link health last found ``url`` moved to (a redirect to another address)."""
    verdict = links.verdict(url)
    if verdict is None or verdict.link_class != "moved":
        return None
    return verdict.final_url if verdict.final_url and verdict.final_url != url else None


def _link_report(url: str) -> str:
    """A report's reason, prefilled from link health when its last check found the link not ok."""
    verdict = links.verdict(url)
    if verdict is None or verdict.link_class == "ok":
        return ""
    if verdict.link_class == "moved" and verdict.final_url:
        return _("The link check on %(date)s found it moved (%(reason)s) to %(url)s.") % {
            "date": date_format(verdict.checked_at, "DATE_FORMAT"),
            "reason": verdict.reason,
            "url": verdict.final_url,
        }
    return _("The link check on %(date)s found it not working (%(reason)s).") % {
        "date": date_format(verdict.checked_at, "DATE_FORMAT"),
        "reason": verdict.reason or verdict.link_class,
    }


# ---- my proposals ---------------------------------------------------------------------------


def _mine_or_404(request: HttpRequest, pk: int):
    try:
        return selectors.proposal_get_mine(author=request.user, proposal_id=pk)
    except NotFound:
        raise Http404(_("There is no such proposal of yours.")) from None


@login_required
@require_GET
def my_proposals(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposal_list_mine(author=request.user)
    moderated = catalog_selectors.roadmap_list()  # staff moderate every roadmap
    if not request.user.is_staff:
        moderated = moderated.filter(pk__in=selectors.roadmaps_moderated(user=request.user))
    context = {"proposals": proposals, "moderated": moderated.only("slug", "title")}
    return private(render(request, "contributions/mine.html", context))


@login_required
@require_GET
def my_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine_or_404(request, pk)
    pending = proposal.status in PENDING
    preview = services.proposal_preview(proposal=proposal) if pending else None
    context = {"proposal": proposal, "preview": preview, "pending": pending}
    return private(render(request, "contributions/mine_detail.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def my_proposal_revise(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine_or_404(request, pk)
    if proposal.status not in PENDING:
        messages.error(request, _("This proposal was decided: it cannot change."))
        return redirect("contributions:mine-detail", pk=proposal.pk)
    base = proposal_base(proposal)
    initial = {**base, "reason": proposal.reason}
    if proposal.kind == ProposalKind.REMOVE_RESOURCE:
        form = ReasonForm(request.POST or None, initial=initial)
    elif proposal.kind == ProposalKind.EDIT_INTRO:
        form = IntroForm(request.POST or None, initial=initial)
    else:
        new = proposal.kind == ProposalKind.ADD_RESOURCE
        form = ResourceForm(request.POST or None, initial=initial, new=new)
    if request.method == "POST" and form.is_valid():
        if isinstance(form, IntroForm):
            fields = {"intro": form.cleaned_data.get("intro") or ""}
        else:
            fields = {} if isinstance(form, ReasonForm) else form.changed_fields(base)
        try:
            services.proposal_update(
                proposal_id=proposal.pk,
                author=request.user,
                fields=fields,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ApplicationError as exc:
            raise_for_page(exc)
            add_error(form, exc)
        else:
            messages.success(request, _("Your proposal is revised and waits for a review again."))
            return redirect("contributions:mine-detail", pk=proposal.pk)
    context = {"proposal": proposal, "form": form}
    status = 400 if form.is_bound else 200
    return private(render(request, "contributions/revise.html", context, status=status))
