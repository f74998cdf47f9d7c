"""A roadmap's review queue and a proposal's review: the diff, lint, link check and
duplicates, then accept (edited if need be), decline or ask for changes."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions import selectors, services
from learnmap.contributions.forms import IntroForm, ReasonForm, ResourceForm
from learnmap.contributions.models import PENDING, ProposalKind
from learnmap.contributions.views.common import (
    add_error,
    error_text,
    private,
    proposal_base,
    raise_for_page,
    roadmap_or_404,
)
from learnmap.core.errors import ApplicationError, NotFound

# ---- the review queue and a proposal's review ----------------------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = roadmap_or_404(slug)
    kind = request.GET.get("kind") or None
    if kind not in ProposalKind.values:
        kind = None
    try:
        node_key = uuid.UUID(request.GET.get("node") or "")
    except ValueError:
        node_key = None
    try:
        proposals = selectors.review_queue(
            roadmap=roadmap, moderator=request.user, kind=kind, node_key=node_key
        )
    except ApplicationError as exc:
        raise_for_page(exc)
        raise
    context = {
        "roadmap": roadmap,
        "proposals": proposals,
        "kinds": ProposalKind.choices,
        "nodes": catalog_selectors.node_list(roadmap=roadmap).only("key", "title", "parent_id"),
        "kind": kind,
        "node_key": node_key,
    }
    return private(render(request, "contributions/queue.html", context))


def _for_review_or_404(request: HttpRequest, pk: int):
    try:
        return selectors.proposal_get_for_review(moderator=request.user, proposal_id=pk)
    except NotFound:
        raise Http404(_("There is no such proposal to review.")) from None


def _review_page(
    request: HttpRequest,
    proposal,
    *,
    forms: dict | None = None,
    preview=None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    pending = proposal.status in PENDING
    forms = forms or {}
    if pending and preview is None:
        preview = services.proposal_preview(proposal=proposal)
    with_fields = proposal.kind != ProposalKind.REMOVE_RESOURCE
    form_class = IntroForm if proposal.kind == ProposalKind.EDIT_INTRO else ResourceForm
    context = {
        "proposal": proposal,
        "pending": pending,
        "preview": preview,
        "error": error,
        "accept_form": forms.get("accept")
        or (
            form_class(prefix="accept", initial=proposal_base(proposal), with_reason=False)
            if with_fields
            else None
        ),
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "changes_form": forms.get("changes") or ReasonForm(prefix="changes"),
    }
    return private(render(request, "contributions/review.html", context, status=status))


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, _for_review_or_404(request, pk))


@login_required
@require_POST
def review_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, with the moderator's edits when they made any; "Preview" shows what the edited
    proposal would write, without deciding."""
    proposal = _for_review_or_404(request, pk)
    fields = None
    edited = any(name.startswith("accept-") for name in request.POST)  # else: as proposed
    if proposal.kind != ProposalKind.REMOVE_RESOURCE and edited:
        form_class = IntroForm if proposal.kind == ProposalKind.EDIT_INTRO else ResourceForm
        form = form_class(request.POST, prefix="accept", with_reason=False)
        if not form.is_valid():  # a level or a price that is not one of the choices
            return _review_page(request, proposal, forms={"accept": form}, status=400)
        fields = form.changed_fields(proposal_base(proposal)) or None
        if request.POST.get("action") == "preview":
            try:
                merged = {**proposal.fields, **(fields or {})}
                cleaned = services.clean_for(proposal.kind, merged)
            except ApplicationError as exc:
                add_error(form, exc)
                return _review_page(request, proposal, forms={"accept": form}, status=400)
            preview = services.proposal_preview(proposal=proposal, fields=cleaned)
            return _review_page(request, proposal, forms={"accept": form}, preview=preview)
    try:
        change = services.proposal_accept(
            proposal_id=proposal.pk, moderator=request.user, fields=fields
        )
    except ApplicationError as exc:
        raise_for_page(exc)
        proposal.refresh_from_db()
        status = 409 if exc.code in ("already_decided", "conflict") else 400
        return _review_page(request, proposal, error=error_text(exc, proposal), status=status)
    messages.success(request, _("Accepted: the roadmap has the change now."))
    return redirect("contributions:change", slug=proposal.roadmap.slug, pk=change.pk)


def _decide(request: HttpRequest, pk: int, *, prefix: str, service) -> HttpResponse:
    proposal = _for_review_or_404(request, pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(
                proposal_id=proposal.pk,
                moderator=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            raise_for_page(exc)
            if exc.extra.get("field"):
                add_error(form, exc)
            else:
                proposal.refresh_from_db()
                status = 409 if exc.code == "already_decided" else 400
                return _review_page(
                    request, proposal, error=error_text(exc, proposal), status=status
                )
        else:
            messages.success(request, _("Done: the contributor sees your reason."))
            return redirect("contributions:queue", slug=proposal.roadmap.slug)
    return _review_page(request, proposal, forms={prefix: form}, status=400)


@login_required
@require_POST
def review_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, prefix="decline", service=services.proposal_decline)


@login_required
@require_POST
def review_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, prefix="changes", service=services.proposal_request_changes)
