"""The forms a learner posts: progress states, electives, resources done, notes, filters.

Each answers htmx with the fragment it asked for (``request.htmx``: the changed outline row
and, out of band, the summary and the map; or a node page's progress box) and a plain form
post with a redirect back, so everything works without JavaScript.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.models import Node
from learnmap.core.errors import ApplicationError, NotFound
from learnmap.learning import pages, selectors, services
from learnmap.learning.learners import learner_for_request
from learnmap.learning.news import news_for_view
from learnmap.learning.notes import NOTE_MAX_CHARS
from learnmap.learning.retired_marks import retired_marks_get
from learnmap.learning.views.browse import node_response
from learnmap.learning.views.common import (
    back_url,
    error_text,
    next_url,
    node_by_key_or_404,
    node_url,
    refused,
    roadmap_or_404,
)

# --- forms: progress, electives, resources, notes -------------------------------------------------


def _roadmap_update(request, node: Node, *, status_text: str) -> HttpResponse:
    """The roadmap page's fragments after a change: the node's section in the outline, and
    (out of band) the summary and the map."""
    learner = learner_for_request(request)
    news = news_for_view(learner=learner, roadmap=node.roadmap, record=False)
    page = pages.roadmap_page_build(roadmap=node.roadmap, learner=learner, news=news)
    changed = page.node(node.key)
    section = page.section_of(changed) if changed is not None else None
    if section is not None:
        pages.outline_rows(page, only=section.item.id, oob=True)
    context = {"page": page, "roadmap": node.roadmap, "section": section, "status": status_text}
    return render(request, "learning/htmx/roadmap_update.html", context)


def _node_update(request, node: Node, *, status_text: str, context_name: str) -> HttpResponse:
    """The node page's fragments after a change: its own state, or a topic's row."""
    shown = node if context_name == "node" or node.parent is None else node.parent
    shown.roadmap = node.roadmap
    learner = learner_for_request(request)
    page = pages.node_page_build(
        roadmap=node.roadmap,
        node=shown,
        learner=learner,
        query=request.GET,
        news=news_for_view(learner=learner, roadmap=node.roadmap, record=False),
        request=request,
    )
    topic = next((t for t in page.topics if t.key == node.key), None)
    context = {
        "page": page,
        "roadmap": node.roadmap,
        "node": page.node,
        "topic": topic,
        "status": status_text,
        "fragment": "topic" if context_name == "topic" and topic is not None else "node",
        "page_path": node_url(page.node),
    }
    return render(request, "learning/htmx/node_update.html", context)


@require_POST
def node_state(request: HttpRequest, key: UUID) -> HttpResponse:
    """Set the learner's state on a node (one click)."""
    found = node_by_key_or_404(key)
    back = back_url(request, found)
    state = request.POST.get("state", "")
    try:
        state = services.progress_set(learner=learner_for_request(request), node=found, state=state)
    except ApplicationError as exc:
        return refused(request, exc, back)
    text = _("“%(title)s”: %(state)s.") % {
        "title": found.title,
        "state": pages.state_label(state).lower(),
    }
    if request.htmx:
        where = request.POST.get("context", "node")
        if where == "roadmap" and found.retired_at is None:
            return _roadmap_update(request, found, status_text=text)
        if where in ("node", "topic") and found.retired_at is None:
            return _node_update(request, found, status_text=text, context_name=where)
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    messages.success(request, text)
    return HttpResponseRedirect(back)


@require_POST
def elective_choose(request: HttpRequest, key: UUID) -> HttpResponse:
    """Choose an elective section (it then counts in the learner's progress) or drop it."""
    found = node_by_key_or_404(key)
    back = back_url(request, found)
    chosen = request.POST.get("chosen") == "1"
    try:
        services.elective_set(learner=learner_for_request(request), node=found, chosen=chosen)
    except ApplicationError as exc:
        return refused(request, exc, back)
    if chosen:
        text = _("Chose “%(title)s”: it now counts in your progress.") % {"title": found.title}
    else:
        text = _("Dropped “%(title)s”: it no longer counts in your progress.") % {
            "title": found.title
        }
    if request.htmx:
        if request.POST.get("context") == "roadmap":
            return _roadmap_update(request, found, status_text=text)
        return _node_update(request, found, status_text=text, context_name="node")
    messages.success(request, text)
    return HttpResponseRedirect(back)


@require_POST
def resource_done(request: HttpRequest, key: UUID) -> HttpResponse:
    """Mark a resource done or not done (one click)."""
    try:
        resource = catalog_selectors.resource_get_by_key(key=key)
    except NotFound:
        raise Http404(_("There is no such resource.")) from None
    back = next_url(request, node_url(resource.node))
    if "#" not in back:  # back to the resource on the page it was clicked on
        back += f"#r-{resource.key}"
    done = request.POST.get("done") == "1"
    try:
        services.resource_progress_set(
            learner=learner_for_request(request), resource=resource, done=done
        )
    except ApplicationError as exc:
        return refused(request, exc, back)
    text = (_("Marked “%(title)s” as done.") if done else _("Marked “%(title)s” as not done.")) % {
        "title": resource.title
    }
    if request.htmx:
        context = {
            "resource": resource,
            "pressed": "true" if done else "false",
            "value": "0" if done else "1",
            "icon": pages.state_icon_html("done" if done else "not_started"),
            "status": text,
        }
        return render(request, "learning/htmx/resource_update.html", context)
    messages.success(request, text)
    return HttpResponseRedirect(back)


@require_POST
def note_save(request: HttpRequest, key: UUID) -> HttpResponse:
    """Save the learner's private note on a node; an overlong note is refused and kept in the
    form so nothing typed is lost."""
    found = node_by_key_or_404(key)
    text = request.POST.get("text", "")
    learner = learner_for_request(request)
    try:
        services.note_save(learner=learner, node=found, text=text)
    except ApplicationError as exc:
        error = error_text(exc)
        if request.htmx:
            context = {"node": found, "note": None, "note_text": text, "note_error": error}
            context["note_max"] = f"{NOTE_MAX_CHARS:,}"
            return render(request, "learning/node.html#note", context)
        return node_response(
            request, found.roadmap, found, note_error=error, note_text=text, status=400
        )
    status = _("Your note is saved.") if text.strip() else _("Your note is deleted.")
    if request.htmx:
        note = selectors.note_get(learner=learner, node=found)
        context = {
            "node": found,
            "note": note,
            "note_text": note.text if note else "",
            "note_max": f"{NOTE_MAX_CHARS:,}",
            "status": status,
        }
        return render(request, "learning/node.html#note", context)
    messages.success(request, status)
    return HttpResponseRedirect(node_url(found) + "#note")


@require_POST
def filters_save(request: HttpRequest) -> HttpResponse:
    """Remember the filters shown as the signed-in learner's defaults (or forget them)."""
    back = next_url(request, "/")
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in to remember your filters."))
        return HttpResponseRedirect(back)
    filters = {}
    if request.POST.get("forget") != "1":
        filters = {name: request.POST.getlist(name) for name in catalog_selectors.FILTER_NAMES}
    try:
        saved = services.preferences_filters_set(user=request.user, filters=filters)
    except ApplicationError as exc:
        return refused(request, exc, back)
    if saved:
        messages.success(request, _("These filters are now your defaults on every roadmap."))
    else:
        messages.success(request, _("Your default filters are forgotten."))
    return HttpResponseRedirect(back)


@require_POST
def news_seen(request: HttpRequest, slug: str) -> HttpResponse:
    """Mark what changed on a roadmap since the learner's last visit as seen: its "New"
    markers go. A plain form post, answered with a redirect back to the roadmap page."""
    roadmap = roadmap_or_404(slug)
    services.visit_mark_seen(learner=learner_for_request(request), roadmap=roadmap)
    back = next_url(request, reverse("learning:roadmap", args=[roadmap.slug]))
    if request.user.is_authenticated:
        messages.success(request, _("The changes are marked as seen."))
    return HttpResponseRedirect(back)


def _posted_keys(request: HttpRequest) -> list[UUID] | None:
    """The items a notice showed (its ``key`` fields); None when it sent none."""
    keys = []
    for value in request.POST.getlist("key"):
        try:
            keys.append(UUID(value))
        except ValueError:
            continue
    return keys or None


@require_POST
def retired_seen(request: HttpRequest, slug: str) -> HttpResponse:
    """Clear the notice about marked items removed from a roadmap (the marks are kept). htmx
    gets the notice's place back (empty, or what is still to tell); a plain form post a
    redirect back to the roadmap page."""
    roadmap = roadmap_or_404(slug)
    learner = learner_for_request(request)
    services.retired_marks_clear(learner=learner, roadmap=roadmap, keys=_posted_keys(request))
    text = _("The notice is cleared. What you had marked is kept.")
    if request.htmx:
        context = {
            "roadmap": roadmap,
            "retired_marks": retired_marks_get(learner=learner, roadmap=roadmap),
            "status": text,
        }
        return render(request, "learning/retired_notice.html", context)
    back = next_url(request, reverse("learning:roadmap", args=[roadmap.slug]))
    if request.user.is_authenticated:
        messages.success(request, text)
    return HttpResponseRedirect(back)
