"""Node pages and resource lists: filters (from the address or the learner's defaults),
resources grouped by level and kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode
from uuid import UUID

from django.http import QueryDict
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext

from learnmap.catalog import cache
from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.models import Node, Roadmap
from learnmap.catalog.selectors import FILTER_NAMES, ResourceFacets, ResourceFilters
from learnmap.learning import selectors
from learnmap.learning.figures import Figures
from learnmap.learning.learners import Learner
from learnmap.learning.news import NO_NEWS, RoadmapNews
from learnmap.learning.pages import listing
from learnmap.learning.pages.labels import (
    FILTER_LABELS,
    STATES,
    price_label,
    state_label,
    vocab_label,
)
from learnmap.learning.pages.outline import OutlineNode, roadmap_page_from
from learnmap.learning.selectors import NoteView

FILTER_VALUES_MAX = 20
FACETS_CACHE_SECONDS = 24 * 60 * 60
FILTER_VALUE_SHOWN_MAX = 40  # how much of a refused value the note repeats


# --- filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterState:
    """The filters a page applies, where they came from, and what was refused."""

    filters: ResourceFilters
    facets: ResourceFacets
    source: str  # "url" (the address says), "saved" (the learner's defaults), "none"
    ignored: tuple[str, ...] = ()  # a sentence per refused value
    saved: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def query(self) -> str:
        """The filters as a query string (``language=Persian&price=free``)."""
        return urlencode(
            [(name, value) for name in FILTER_NAMES for value in getattr(self.filters, name)]
        )

    @property
    def is_saved(self) -> bool:
        """The filters shown are the learner's saved defaults."""
        return self.filters.as_dict() == dict(self.saved) if self.saved else False

    def options(self) -> list[dict]:
        """For the form: each filter with its values, which are checked, and their labels."""
        groups = []
        for name in FILTER_NAMES:
            values = getattr(self.facets, name)
            if not values:
                continue
            selected = set(getattr(self.filters, name))
            groups.append(
                {
                    "name": name,
                    "label": FILTER_LABELS[name],
                    "values": [
                        {
                            "value": value,
                            "label": price_label(value) if name == "price" else vocab_label(value),
                            "checked": value in selected,
                            "id": f"filter-{name}-{slugify(value, allow_unicode=True)}",
                        }
                        for value in values
                    ],
                }
            )
        return groups


def facets_get(*, roadmap: Roadmap) -> ResourceFacets:
    """The roadmap's filter values, cached per import revision (one query when cold)."""
    return cache.cached(
        cache.revision_key("facets", 2, roadmap),
        lambda: catalog_selectors.resource_facets(roadmap=roadmap),
        expect=ResourceFacets,
        timeout=FACETS_CACHE_SECONDS,
    )


def _clean_values(name: str, raw: Iterable[str], facets: ResourceFacets, ignored: list[str]):
    allowed = {value.casefold(): value for value in getattr(facets, name)}
    kept: list[str] = []
    for value in raw:
        value = value.strip()
        if not value:
            continue
        canonical = allowed.get(value.casefold())
        if canonical is None:
            shown = value if len(value) <= FILTER_VALUE_SHOWN_MAX else value[:40] + "…"
            ignored.append(
                gettext("Ignored the unknown %(filter)s “%(value)s”.")
                % {"filter": str(FILTER_LABELS[name]).lower(), "value": shown}
            )
        elif canonical not in kept:
            kept.append(canonical)
    return tuple(kept)


def filters_from_query(
    query: QueryDict, *, facets: ResourceFacets, saved: Mapping[str, object] | None = None
) -> FilterState:
    """The filters of a page: the address's if it names any (``?all=1``: none), else the
    learner's saved defaults. Unknown or malformed values are ignored with a note."""
    saved_clean: dict[str, list[str]] = {}
    for name, value in (saved or {}).items():
        if name in FILTER_NAMES:
            values = value if isinstance(value, list) else [value]
            kept = _clean_values(name, [v for v in values if isinstance(v, str)], facets, [])
            if kept:
                saved_clean[name] = list(kept)
    named = [name for name in FILTER_NAMES if name in query]
    if query.get("all") or named:
        ignored: list[str] = []
        chosen = {}
        for name in named:
            values = query.getlist(name)
            if len(values) > FILTER_VALUES_MAX:
                ignored.append(
                    gettext("Too many values for the %(filter)s filter: kept the first %(n)s.")
                    % {"filter": str(FILTER_LABELS[name]).lower(), "n": FILTER_VALUES_MAX}
                )
                values = values[:FILTER_VALUES_MAX]
            chosen[name] = _clean_values(name, values, facets, ignored)
        return FilterState(
            filters=ResourceFilters(**chosen),
            facets=facets,
            source="url",
            ignored=tuple(ignored),
            saved=saved_clean,
        )
    if saved_clean:
        return FilterState(
            filters=ResourceFilters(**{k: tuple(v) for k, v in saved_clean.items()}),
            facets=facets,
            source="saved",
            saved=saved_clean,
        )
    return FilterState(filters=ResourceFilters(), facets=facets, source="none")


# --- the node page --------------------------------------------------------------------------------


@dataclass
class NodePage:
    roadmap: Roadmap
    node: Node
    section: Node | None  # a topic's section
    state: str
    topics: list[OutlineNode]
    list_html: SafeString  # this page of its resources, filled for the learner
    pager: Pager
    resource_count: int  # shown (after filters)
    resources_total: int  # of the node, unfiltered
    resources_done: frozenset[UUID]
    filters: FilterState
    note: NoteView | None
    chosen: bool
    is_elective_section: bool
    section_figures: Figures | None
    news: RoadmapNews = NO_NEWS  # what changed since the learner's last visit

    @property
    def is_new(self) -> bool:
        """The node changed since the learner's last visit."""
        return self.news.is_new(self.node.key)

    @property
    def new_since(self):
        """When the node is new: the time after which its resources added or edited are new
        too (else None)."""
        return self.news.since if self.is_new else None

    @property
    def state_label(self) -> str:
        return state_label(self.state)

    @property
    def node_target(self) -> dict:
        """What the state form needs to know about the node."""
        node = self.node
        pressed = {f"p_{state}": "true" if state == self.state else "false" for state in STATES}
        return {"key": node.key, "slug": node.slug, "title": node.title, "v": pressed}


def _listing(*, roadmap: Roadmap, node: Node | None, filters: FilterState, query: QueryDict):
    """The page of the list the address asks for (``?page=N``, clamped to the last page:
    learnt from page 1, so no address outside the list gets a cache entry of its own); on a
    node page, ``?resource=<key>`` (without a page) asks for the page showing that resource."""
    first = listing.resource_list_get(
        roadmap=roadmap, node=node, filters=filters.filters, filters_query=filters.query, number=1
    )
    number = listing.page_number(query)
    if node is not None and "page" not in query and query.get("resource") and first.pages > 1:
        number = listing.page_of_resource(
            node=node, filters=filters.filters, key=query["resource"][:40]
        )
    number = min(number, first.pages)
    if number == 1:
        return first
    return listing.resource_list_get(
        roadmap=roadmap,
        node=node,
        filters=filters.filters,
        filters_query=filters.query,
        number=number,
    )


@dataclass(frozen=True)
class Pager:
    """Where a page of a list stands, and the addresses of the pages around it (its
    filters kept)."""

    number: int
    pages: int
    count: int
    first: int
    last: int
    previous_url: str = ""
    next_url: str = ""
    first_url: str = ""
    last_url: str = ""

    @classmethod
    def of(cls, found: listing.ResourceList, query: QueryDict) -> Pager:
        number, pages = found.number, found.pages
        return cls(
            number=number,
            pages=pages,
            count=found.count,
            first=found.first,
            last=found.last,
            previous_url=listing.page_url(query, number - 1) if number > 1 else "",
            next_url=listing.page_url(query, number + 1) if number < pages else "",
            first_url=listing.page_url(query, 1) if number > 2 else "",
            last_url=listing.page_url(query, pages) if number < pages - 1 else "",
        )


def node_page_build(
    *,
    roadmap: Roadmap,
    node: Node,
    learner: Learner,
    query: QueryDict,
    news: RoadmapNews = NO_NEWS,
    request=None,
) -> NodePage:
    """A section's or topic's page: intro, topics, filtered resources (a page of them),
    state, note; the node and its topics marked "New" when ``news`` says they changed."""
    progress = selectors.roadmap_progress_get(learner=learner, roadmap=roadmap)
    state = progress.state
    facets = facets_get(roadmap=roadmap)
    filters = filters_from_query(
        query, facets=facets, saved=selectors.preferences_filters_get(learner=learner)
    )
    found = _listing(roadmap=roadmap, node=node, filters=filters, query=query)
    resources_total = (
        found.count
        if not filters.filters.active
        else catalog_selectors.resource_list(node=node).count()
    )
    topics: list[OutlineNode] = []
    section_figures = None
    if node.node_type == "section" and node.retired_at is None:
        page = roadmap_page_from(roadmap=roadmap, progress=progress, news=news)
        outline = page.node(node.key)
        if outline is not None:
            topics = outline.topics
            section_figures = outline.figures
    done = frozenset(state.resources_done)
    is_new = news.is_new(node.key)
    return NodePage(
        roadmap=roadmap,
        node=node,
        section=node.parent,
        state=state.state_of(node.key),
        topics=topics,
        list_html=found.html(request=request, done=done, new_since=news.since if is_new else None),
        pager=Pager.of(found, query),
        resource_count=found.count,
        resources_total=resources_total,
        resources_done=done,
        filters=filters,
        note=selectors.note_get(learner=learner, node=node),
        chosen=node.key in state.electives,
        is_elective_section=node.node_type == "section" and node.kind == "elective",
        section_figures=section_figures,
        news=news,
    )


@dataclass
class ResourcesPage:
    roadmap: Roadmap
    list_html: SafeString  # this page of the list, filled for the learner
    pager: Pager
    filters: FilterState

    @property
    def count(self) -> int:
        """Resources matching the filters, on every page."""
        return self.pager.count


def resources_page_build(
    *, roadmap: Roadmap, learner: Learner, query: QueryDict, request=None
) -> ResourcesPage:
    """A roadmap's resources, filtered, under the node each is listed in, a page
    (``listing.PAGE_SIZE``) at a time (``?page=2``)."""
    facets = facets_get(roadmap=roadmap)
    filters = filters_from_query(
        query, facets=facets, saved=selectors.preferences_filters_get(learner=learner)
    )
    found = _listing(roadmap=roadmap, node=None, filters=filters, query=query)
    state = selectors.learner_state_for_roadmap(learner=learner, roadmap=roadmap)
    return ResourcesPage(
        roadmap=roadmap,
        list_html=found.html(request=request, done=frozenset(state.resources_done), new_since=None),
        pager=Pager.of(found, query),
        filters=filters,
    )
