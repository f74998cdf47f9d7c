"""What the learner's views share: finding things or a 404, where a form goes back to, and
the one place a domain error becomes a sentence for the learner."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.models import Node, Roadmap
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.learning import pages, selectors
from learnmap.learning.notes import NOTE_MAX_CHARS


def roadmap_or_404(slug: str) -> Roadmap:
    """The roadmap without its Markdown source: the pages never show it."""
    roadmap = selectors.roadmap_header_get(slug=slug)
    if roadmap is None:
        raise Http404(_("There is no such roadmap."))
    return roadmap


def node_by_key_or_404(key: UUID) -> Node:
    try:
        return catalog_selectors.node_get_by_key(key=key)
    except NotFound:
        raise Http404(_("There is no such section or topic.")) from None


def node_url(node: Node) -> str:
    if node.retired_at is not None:
        return pages.node_key_url(node.key)
    return pages.NodeUrls(node.roadmap.slug)(node.slug)


def next_url(request: HttpRequest, default: str) -> str:
    """Where a plain form post goes back to: its ``next`` if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def back_url(request: HttpRequest, node: Node) -> str:
    """Where a plain post about ``node`` goes back to: its ``next``; from the roadmap page's
    outline (``context=roadmap``), the node's row there (or the list of retired ones); else
    the node's page."""
    if request.POST.get("context") == "roadmap":
        anchor = "retired-title" if node.retired_at is not None else f"outline-{node.slug}"
        page = reverse("learning:roadmap", args=[node.roadmap.slug])
        return next_url(request, f"{page}#{anchor}")
    return next_url(request, node_url(node))


def error_text(exc: ApplicationError) -> str:
    """The learner's sentence for a refusal, in their language where we know the case."""
    extra = exc.extra
    known = {
        "note_too_long": lambda: (
            _(
                "This note is %(length)s characters long; notes can be at most %(max)s characters. "
                "Nothing was saved: shorten it and save again."
            )
            % {"length": f"{extra.get('length', 0):,}", "max": f"{NOTE_MAX_CHARS:,}"}
        ),
        "session_full": lambda: _(
            "Your browser session holds as much progress as it can. Sign in (or create a free "
            "account) to keep tracking: what you have tracked so far comes with you."
        ),
        "session_notes_full": lambda: _(
            "Notes kept without an account are limited in size. Sign in (or create a free "
            "account) to keep longer notes: the ones you wrote come with you."
        ),
        "retired": lambda: _(
            "This was removed from the roadmap: the progress you had on it is kept, but it can "
            "only be cleared now."
        ),
        "not_elective": lambda: _("Only the elective sections of a roadmap can be chosen."),
        "invalid_state": lambda: _("That is not a progress state."),
    }
    return known[exc.code]() if exc.code in known else exc.message


def refused(request: HttpRequest, exc: ApplicationError, back: str) -> HttpResponse:
    """A refusal: an alert in the page's message area for htmx, a message and a redirect
    back otherwise."""
    text = error_text(exc)
    if request.htmx:
        response = render(request, "learning/htmx/alert.html", {"text": text, "level": "error"})
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    messages.error(request, text)
    return HttpResponseRedirect(back)
