"""What every contribution page shares: a service's refusal turned into what the page
shows (a sentence on a form, a 403, 404 or 429 page), and the node, resource or roadmap a
page is about, or a 404."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from learnmap.catalog import selectors as catalog_selectors
from learnmap.contributions.forms import RESOURCE_FIELDS
from learnmap.contributions.templatetags.contributions import status_label
from learnmap.core.errors import ApplicationError, NotFound

# ---- refusals: one place that turns a service's ApplicationError into what a page shows ------


# The Markdown core's refusal of an introduction that holds structure (``edit_intro.py``).
_STRUCTURE_RE = re.compile(
    r"line (?P<line>\d+) of the introduction would be read as (?P<what>[a-z ]+),"
)


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
    structure = _STRUCTURE_RE.search(exc.message) if exc.code == "invalid_proposal" else None
    if structure:
        what = {
            "a heading": _("a heading"),
            "a list item": _("a list item"),
            "a code fence": _("a code fence"),
            "a horizontal rule": _("a horizontal rule"),
            "a heading underline": _("a heading underline"),
            "a table": _("a table"),
            "a link definition": _("a link definition"),
        }.get(structure["what"], structure["what"])
        return _(
            "Line %(line)s of the introduction would be read as %(what)s, not as prose: "
            "write plain paragraphs."
        ) % {"line": structure["line"], "what": what}
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
        "nothing_to_change": lambda: (
            _("The proposal changes nothing: the introduction already reads like this.")
            if "introduction" in exc.message
            else _("The proposal changes nothing: the resource already reads like this.")
        ),
        "already_reverted": lambda: _("This change was reverted already."),
    }
    return known[exc.code]() if exc.code in known else exc.message


def raise_for_page(exc: ApplicationError) -> None:
    """A refusal that is a whole page rather than a sentence on a form: 404, 403."""
    if isinstance(exc, NotFound):
        raise Http404(exc.message) from None
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message) from None


def rate_limited(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    response = render(
        request, "contributions/rate_limited.html", {"text": error_text(exc)}, status=429
    )
    response["Retry-After"] = str(exc.extra.get("retry_after", 3600))
    return response


def add_error(form, exc: ApplicationError) -> None:
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, error_text(exc))


def private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-cache"
    return response


# ---- what the pages are about -------------------------------------------------------------


def roadmap_or_404(slug: str):
    try:
        return catalog_selectors.roadmap_header_get(slug=slug)
    except NotFound:
        raise Http404(_("There is no such roadmap.")) from None


def active_or_404(selector, key: uuid.UUID, message: str):
    """The node or resource with this key, while it is in the roadmap; else a 404."""
    try:
        found = selector(key=key)
    except NotFound:
        found = None
    if found is None or found.retired_at is not None:
        raise Http404(message)
    return found


def node_or_404(key: uuid.UUID):
    return active_or_404(
        catalog_selectors.node_get_by_key, key, _("There is no such section or topic.")
    )


def resource_or_404(key: uuid.UUID):
    return active_or_404(
        catalog_selectors.resource_get_by_key, key, _("There is no such resource.")
    )


def resource_fields(resource) -> dict:
    """A catalog resource's fields as a proposal names them."""
    return {name: getattr(resource, name) for name in RESOURCE_FIELDS}


def proposal_base(proposal) -> dict:
    """What a proposal's form starts from: its own fields, over the resource's for an edit."""
    base = resource_fields(proposal.resource) if proposal.resource_id else {}
    return {**base, **proposal.fields}
