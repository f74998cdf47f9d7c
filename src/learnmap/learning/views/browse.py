"""The pages a learner reads: home, a roadmap, a node, a roadmap's resources, search.

Thin: parse the request, call one builder (``learning.pages``), render. An anonymous visitor
who tracked nothing on a roadmap gets its page from the shared cache, a learner with progress
their own page, rendered again only when their progress changed (``page_cache``).
"""

from __future__ import annotations

import logging
import math
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from learnmap.catalog import selectors as catalog_selectors
from learnmap.core.api.ratelimit import RateLimit
from learnmap.core.errors import NotFound
from learnmap.learning import page_cache, pages, selectors
from learnmap.learning.learners import SessionLearner, UserLearner, learner_for_request
from learnmap.learning.news import NO_NEWS, RoadmapNews, news_for_view
from learnmap.learning.notes import NOTE_MAX_CHARS
from learnmap.learning.retired_marks import NO_RETIRED_MARKS, retired_marks_for_view
from learnmap.learning.views.common import node_by_key_or_404, node_url, roadmap_or_404

logger = logging.getLogger(__name__)

# --- home -----------------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Every roadmap as a card with its size and, when the learner has any, their progress.

    A visitor who has tracked nothing gets the shared page from the cache, kept per state of
    the catalog (``catalog_revision``: an import shows at once)."""
    learner = learner_for_request(request)

    def render_page(request: HttpRequest, token: str | None = None) -> HttpResponse:
        cards = pages.home_page_build(learner=learner_for_request(request))
        context = {"cards": cards}
        if token is not None:
            context["csrf_token"] = token
        return render(request, "learning/home.html", context)

    if page_cache.cacheable(request) and pages.home_is_shared(learner=learner):
        catalog = catalog_selectors.catalog_revision()
        key = page_cache.page_cache_key(name="home", roadmap=catalog, request=request)
        return page_cache.cached_page(request, key=key, render=render_page)
    return page_cache.private_page(render_page(request))


# --- a roadmap ------------------------------------------------------------------------------------


def _once(request: HttpRequest, name: str, roadmap, build):
    """``build()``, once per request and roadmap: the middleware asks for a roadmap page
    before the view renders it when it is not cached, and nothing changes in between."""
    memo = request.__dict__.setdefault("_learnmap_once", {})
    if (name, roadmap.pk) not in memo:
        memo[name, roadmap.pk] = build()
    return memo[name, roadmap.pk]


def _news(request: HttpRequest, learner, roadmap) -> RoadmapNews:
    """What is new on ``roadmap`` for this request's learner, the view recorded as part of
    their visit (once per request)."""
    return _once(request, "news", roadmap, lambda: news_for_view(learner=learner, roadmap=roadmap))


def _roadmap_response(
    request,
    roadmap,
    progress,
    *,
    news=NO_NEWS,
    retired=NO_RETIRED_MARKS,
    csrf_token: str | None = None,
):
    page = pages.roadmap_page_from(roadmap=roadmap, progress=progress, news=news)
    pages.outline_rows(page)
    context = {"page": page, "roadmap": roadmap, "retired_marks": retired}
    if csrf_token is not None:
        context["csrf_token"] = csrf_token
    return render(request, "learning/roadmap.html", context)


@require_safe
def roadmap(request: HttpRequest, slug: str) -> HttpResponse:
    """The map, the outline, progress, and the electives to choose.

    An anonymous visitor who tracked nothing here gets the shared page from the cache; a
    learner with progress their own page, kept until their progress changes (``page_cache``);
    a request with messages waiting a page rendered for it.

    The page takes no parameters: an address with some (a campaign's tag, a cache buster) is
    sent to the page's own address, which is cached, instead of rendering the whole roadmap
    for it every time."""
    if request.GET:
        return HttpResponseRedirect(request.path)
    return _roadmap_page(request, roadmap_or_404(slug), render=True)


def roadmap_if_cached(request: HttpRequest, slug: str) -> HttpResponse | None:
    """The page of roadmap ``slug`` for this request if the page cache has it, else None (an
    unknown roadmap included): what ``learning.middleware`` serves before the middleware and
    routing a cached page does not need."""
    roadmap = selectors.roadmap_header_get(slug=slug)
    if roadmap is None:
        return None
    return _roadmap_page(request, roadmap, render=False)


def shared_roadmap_if_cached(request: HttpRequest, slug: str) -> HttpResponse | None:
    """``roadmap_if_cached`` for a visitor without a session: the shared page, for they have
    no progress (nor messages) to look up."""
    roadmap = selectors.roadmap_header_get(slug=slug)
    if roadmap is None:
        return None
    key = page_cache.page_cache_key(name="roadmap", roadmap=roadmap, request=request)
    return page_cache.cached_page(request, key=key, render=None)


def _roadmap_page(request: HttpRequest, roadmap, *, render: bool) -> HttpResponse | None:
    """The roadmap page for this request: cached, or rendered (and stored) when ``render``."""
    learner = learner_for_request(request)
    state = _once(
        request,
        "state",
        roadmap,
        lambda: selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap),
    )
    news = _news(request, learner, roadmap)  # a signed-in learner's: never on a shared page
    retired = _once(  # the same: their marked items gone from the roadmap
        request,
        "retired",
        roadmap,
        lambda: retired_marks_for_view(learner=learner, roadmap=roadmap, state=state),
    )

    def render_page(request_: HttpRequest, token: str | None = None) -> HttpResponse:
        if request_ is request:
            progress = selectors.roadmap_progress_get(learner=learner, roadmap=roadmap, state=state)
            return _roadmap_response(
                request_, roadmap, progress, news=news, retired=retired, csrf_token=token
            )
        # the shared page: from its own request, as a learner who tracked nothing, no news
        shared = learner_for_request(request_)
        progress = selectors.roadmap_progress_get(learner=shared, roadmap=roadmap)
        return _roadmap_response(request_, roadmap, progress, csrf_token=token)

    if not page_cache.cacheable(request):
        return page_cache.private_page(render_page(request)) if render else None
    renderer = render_page if render else None
    if isinstance(learner, SessionLearner) and (
        state.is_empty
        or not pages.learner_touches_roadmap(
            state=state, structure=selectors.roadmap_structure_get(roadmap=roadmap)
        )
    ):
        key = page_cache.page_cache_key(name="roadmap", roadmap=roadmap, request=request)
        return page_cache.cached_page(request, key=key, render=renderer)
    variant = page_cache.learner_variant(
        user=learner.user if isinstance(learner, UserLearner) else None, state=state
    )
    if news.digest:  # their page with its "New" marks is kept apart from the one without
        variant = f"{variant}:{news.digest}"
    if retired.digest:  # and the one with the notice from the one where it was cleared
        variant = f"{variant}:{retired.digest}"
    key = page_cache.page_cache_key(
        name="roadmap", roadmap=roadmap, request=request, learner=variant
    )
    return page_cache.cached_page(request, key=key, render=renderer, shared=False)


@require_safe
def resources(request: HttpRequest, slug: str) -> HttpResponse:
    """Every resource of a roadmap, narrowed by the filters in the address."""
    roadmap = roadmap_or_404(slug)
    page = pages.resources_page_build(
        roadmap=roadmap, learner=learner_for_request(request), query=request.GET, request=request
    )
    response = render(request, "learning/resources.html", {"page": page, "roadmap": roadmap})
    return page_cache.private_page(response)


# --- a node ---------------------------------------------------------------------------------------


def node_response(request, roadmap, node, *, note_error: str = "", note_text=None, status=200):
    learner = learner_for_request(request)
    page = pages.node_page_build(
        roadmap=roadmap,
        node=node,
        learner=learner,
        query=request.GET,
        news=_news(request, learner, roadmap),
        request=request,
    )
    context = {
        "page": page,
        "roadmap": roadmap,
        "node": node,
        "note": page.note,
        "note_error": note_error,
        "note_text": note_text if note_text is not None else (page.note.text if page.note else ""),
        "note_max": f"{NOTE_MAX_CHARS:,}",
        "page_path": node_url(node),
    }
    response = render(request, "learning/node.html", context, status=status)
    return page_cache.private_page(response)


@require_safe
def node(request: HttpRequest, slug: str, node_slug: str) -> HttpResponse:
    """A section or topic: its intro, topics, resources (filtered), state and note."""
    roadmap = roadmap_or_404(slug)
    try:
        found = catalog_selectors.node_get(roadmap=roadmap, slug=node_slug)
    except NotFound:
        raise Http404(_("There is no such section or topic in this roadmap.")) from None
    found.roadmap = roadmap
    return node_response(request, roadmap, found)


@require_safe
def node_by_key(request: HttpRequest, key: UUID) -> HttpResponse:
    """A node's permanent address: its page, or, for a node gone from the roadmap, the
    progress kept on it."""
    found = node_by_key_or_404(key)
    if found.retired_at is None:
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(node_url(found) + (f"?{query}" if query else ""))
    return node_response(request, found.roadmap, found)


# --- search ---------------------------------------------------------------------------------------


# A search reads every document of every roadmap (~150 ms at 85,000 resources): the page
# counts against the same per-address budget as the API's searches.
SEARCH_LIMIT = RateLimit("search", per="ip", setting="API_RATE_SEARCH_PER_IP")


def _search_limited(request: HttpRequest) -> HttpResponse | None:
    """A 429 page (with Retry-After) when this address has searched too much, else None.
    A cache that cannot count is no reason to refuse: the search goes ahead."""
    try:
        if SEARCH_LIMIT.allow_request(request):
            return None
    except Exception:
        logger.warning("Could not count a search; not limiting it.", exc_info=True)
        return None
    wait = max(1, math.ceil(SEARCH_LIMIT.wait() or 60))
    context = {"q": request.GET.get("q", "").strip()[:200], "limited": True}
    response = render(request, "learning/search.html", context, status=429)
    response["Retry-After"] = str(wait)
    return page_cache.private_page(response)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Every roadmap's resources and topics, ranked, the matches highlighted."""
    text = request.GET.get("q", "")
    if text.strip() and (limited := _search_limited(request)):
        return limited
    results = catalog_selectors.catalog_search(query=text) if text.strip() else None
    hits = []
    if results is not None:
        for hit in results.hits:
            document = hit.document
            url = pages.NodeUrls(document.roadmap_slug)(document.node_slug)
            if document.kind == "resource":
                paged = pages.node_is_paged(document.roadmap_slug, document.node_slug)
                where = f"&resource={document.key}" if paged else ""  # its page, not the first
                url += f"?all=1{where}#r-{document.key}"
            hits.append({"hit": hit, "doc": document, "url": url})
    context = {"q": text.strip()[:200], "results": results, "hits": hits}
    return page_cache.private_page(render(request, "learning/search.html", context))
