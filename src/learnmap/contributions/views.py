"""Contribution pages: propose from a node, my proposals, the review queue and a proposal's
review, a roadmap's history and a change's diff (the Atom feed is in ``feeds``).

Thin: check who asks, read the input with a form, call one service or selector, render or
redirect (POST, then a redirect, then GET). A service's refusal comes back as its sentence on
the form field it names, at the top of the form, or as a 403/404/429 page.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions import selectors, services
from learnmap.contributions.forms import RESOURCE_FIELDS, ReasonForm, ResourceForm
from learnmap.contributions.models import PENDING, ProposalKind
from learnmap.contributions.templatetags.contributions import status_label
from learnmap.core import links
from learnmap.core.errors import ApplicationError, NotFound

HISTORY_PER_PAGE = 50


# ---- refusals: one place that turns a service's ApplicationError into what a page shows ------


def error_text(exc: ApplicationError, proposal=None) -> str:
    """The person's sentence for a refusal, in their language where we know the case
    (``proposal``: the one it is about, as it is now)."""
    field = exc.extra.get("field")
    if exc.code == "invalid_proposal" and field == "url" and "http://" in exc.message:
        return _("The link must be a whole web address starting with http:// or https://.")
    if exc.code == "invalid_proposal" and exc.message.startswith("A new resource needs"):
        return _("A new resource needs a title and a link.")
    if exc.code == "invalid_proposal" and field == "reason" and "should go" in exc.message:
        return _("Say why the resource should go.")
    if exc.code == "already_decided" and proposal is not None and proposal.moderator:
        return _(
            "This proposal was already decided by %(who)s (%(status)s): nothing was changed."
        ) % {
            "who": proposal.moderator.get_username(),
            "status": status_label(proposal.status),
        }
    known = {
        "rate_limited": lambda: (
            _(
                "You have made %(count)s proposals in the last day: please wait for them to be "
                "reviewed before proposing more."
            )
            % {"count": settings.CONTRIBUTIONS_PER_DAY}
        ),
        "blocked": lambda: _("Your account may not propose changes: a moderator blocked it."),
        "nothing_to_change": lambda: _(
            "The proposal changes nothing: the resource already reads like this."
        ),
        "already_reverted": lambda: _("This change was reverted already."),
    }
    return known[exc.code]() if exc.code in known else exc.message


def _raise_for_page(exc: ApplicationError) -> None:
    """A refusal that is a whole page rather than a sentence on a form: 404, 403."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from None
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message) from None


def _rate_limited(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = render(
        request, "contributions/rate_limited.html", {"text": error_text(exc)}, status=429
    )
    response["Retry-After"] = str(exc.extra.get("retry_after", 3600))
    return response


def _add_error(form, exc: ApplicationError) -> None:
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, error_text(exc))


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-cache"
    return response


# ---- what the pages are about -------------------------------------------------------------


def _roadmap_or_404(slug: str):
    try:
        return catalog_selectors.roadmap_header_get(slug=slug)
    except NotFound:
        raise Http404(_("There is no such roadmap.")) from None


def _active_or_404(selector, key: uuid.UUID, message: str):
    """The node or resource with this key, while it is in the roadmap; else a 404."""
    try:
        found = selector(key=key)
    except NotFound:
        found = None
    if found is None or found.retired_at is not None:
        raise Http404(message)
    return found


def _node_or_404(key: uuid.UUID):
    return _active_or_404(
        catalog_selectors.node_get_by_key, key, _("There is no such section or topic.")
    )


def _resource_or_404(key: uuid.UUID):
    return _active_or_404(
        catalog_selectors.resource_get_by_key, key, _("There is no such resource.")
    )


def _resource_fields(resource) -> dict:
    """A catalog resource's fields as a proposal names them."""
    return {name: getattr(resource, name) for name in RESOURCE_FIELDS}


def _proposal_base(proposal) -> dict:
    """What a proposal's form starts from: its own fields, over the resource's for an edit."""
    base = _resource_fields(proposal.resource) if proposal.resource_id else {}
    return {**base, **proposal.fields}


# ---- proposing ------------------------------------------------------------------------------


def _propose(request, form, *, kind: str, context: dict, **target) -> HttpResponse:
    """Create the proposal the valid ``form`` asks for, or show the form again with why not."""
    if request.method == "POST" and form.is_valid():
        if kind == ProposalKind.ADD_RESOURCE:
            fields = {k: v for k, v in form.resource_fields().items() if v}
        elif kind == ProposalKind.EDIT_RESOURCE:
            fields = form.changed_fields(_resource_fields(context["resource"]))
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
                return _rate_limited(request, exc)
            _raise_for_page(exc)
            _add_error(form, exc)
        else:
            messages.success(
                request, _("Thank you: your proposal is waiting for a moderator's review.")
            )
            return redirect("contributions:mine")
    status = 400 if form.is_bound else 200
    response = render(
        request, "contributions/propose.html", {**context, "form": form}, status=status
    )
    return _private(response)


@login_required
@require_http_methods(["GET", "POST"])
def propose_add(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    node = _node_or_404(key)
    form = ResourceForm(request.POST or None, new=True)
    context = {"node": node, "roadmap": node.roadmap, "kind": ProposalKind.ADD_RESOURCE}
    return _propose(request, form, kind=ProposalKind.ADD_RESOURCE, context=context, node_key=key)


@login_required
@require_http_methods(["GET", "POST"])
def propose_edit(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    resource = _resource_or_404(key)
    form = ResourceForm(request.POST or None, initial=_resource_fields(resource))
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
    resource = _resource_or_404(key)
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
    return _private(render(request, "contributions/mine.html", context))


@login_required
@require_GET
def my_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine_or_404(request, pk)
    pending = proposal.status in PENDING
    preview = services.proposal_preview(proposal=proposal) if pending else None
    context = {"proposal": proposal, "preview": preview, "pending": pending}
    return _private(render(request, "contributions/mine_detail.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def my_proposal_revise(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine_or_404(request, pk)
    if proposal.status not in PENDING:
        messages.error(request, _("This proposal was decided: it cannot change."))
        return redirect("contributions:mine-detail", pk=proposal.pk)
    base = _proposal_base(proposal)
    initial = {**base, "reason": proposal.reason}
    if proposal.kind == ProposalKind.REMOVE_RESOURCE:
        form = ReasonForm(request.POST or None, initial=initial)
    else:
        new = proposal.kind == ProposalKind.ADD_RESOURCE
        form = ResourceForm(request.POST or None, initial=initial, new=new)
    if request.method == "POST" and form.is_valid():
        fields = {} if isinstance(form, ReasonForm) else form.changed_fields(base)
        try:
            services.proposal_update(
                proposal_id=proposal.pk,
                author=request.user,
                fields=fields,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ApplicationError as exc:
            _raise_for_page(exc)
            _add_error(form, exc)
        else:
            messages.success(request, _("Your proposal is revised and waits for a review again."))
            return redirect("contributions:mine-detail", pk=proposal.pk)
    context = {"proposal": proposal, "form": form}
    status = 400 if form.is_bound else 200
    return _private(render(request, "contributions/revise.html", context, status=status))


# ---- the review queue and a proposal's review ----------------------------------------------


@login_required
@require_GET
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = _roadmap_or_404(slug)
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
        _raise_for_page(exc)
        raise
    context = {
        "roadmap": roadmap,
        "proposals": proposals,
        "kinds": ProposalKind.choices,
        "nodes": catalog_selectors.node_list(roadmap=roadmap).only("key", "title", "parent_id"),
        "kind": kind,
        "node_key": node_key,
    }
    return _private(render(request, "contributions/queue.html", context))


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
    context = {
        "proposal": proposal,
        "pending": pending,
        "preview": preview,
        "error": error,
        "accept_form": forms.get("accept")
        or (
            ResourceForm(prefix="accept", initial=_proposal_base(proposal), with_reason=False)
            if with_fields
            else None
        ),
        "decline_form": forms.get("decline") or ReasonForm(prefix="decline"),
        "changes_form": forms.get("changes") or ReasonForm(prefix="changes"),
    }
    return _private(render(request, "contributions/review.html", context, status=status))


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
        form = ResourceForm(request.POST, prefix="accept", with_reason=False)
        if not form.is_valid():  # a level or a price that is not one of the choices
            return _review_page(request, proposal, forms={"accept": form}, status=400)
        fields = form.changed_fields(_proposal_base(proposal)) or None
        if request.POST.get("action") == "preview":
            try:
                merged = {**proposal.fields, **(fields or {})}
                cleaned = services.clean_fields(
                    merged, partial=proposal.kind != ProposalKind.ADD_RESOURCE
                )
            except ApplicationError as exc:
                _add_error(form, exc)
                return _review_page(request, proposal, forms={"accept": form}, status=400)
            preview = services.proposal_preview(proposal=proposal, fields=cleaned)
            return _review_page(request, proposal, forms={"accept": form}, preview=preview)
    try:
        change = services.proposal_accept(
            proposal_id=proposal.pk, moderator=request.user, fields=fields
        )
    except ApplicationError as exc:
        _raise_for_page(exc)
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
            _raise_for_page(exc)
            if exc.extra.get("field"):
                _add_error(form, exc)
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


# ---- history --------------------------------------------------------------------------------


@require_GET
def history(request: HttpRequest, slug: str) -> HttpResponse:
    roadmap = _roadmap_or_404(slug)
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
    roadmap = _roadmap_or_404(slug)
    change = _change_or_404(roadmap, pk)
    can_revert = services.can_moderate(
        user=request.user, roadmap=roadmap
    ) and not selectors.change_is_reverted(change=change)
    context = {"roadmap": roadmap, "change": change, "can_revert": can_revert}
    return render(request, "contributions/change.html", context)


@login_required
@require_POST
def change_revert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roadmap = _roadmap_or_404(slug)
    change = _change_or_404(roadmap, pk)
    try:
        revert = services.change_revert(change_id=change.pk, by=request.user)
    except ApplicationError as exc:
        _raise_for_page(exc)
        messages.error(request, error_text(exc))
        return redirect("contributions:change", slug=roadmap.slug, pk=change.pk)
    messages.success(request, _("Reverted: the roadmap is back as it was before that change."))
    return redirect("contributions:change", slug=roadmap.slug, pk=revert.pk)
