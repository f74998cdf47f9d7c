"""Catalog selectors: reading roadmaps, nodes and resources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, QuerySet

from learnmap.catalog import search

# The filters are ``filters.py``'s; other apps read them from here.
from learnmap.catalog.filters import FILTER_NAMES as FILTER_NAMES
from learnmap.catalog.filters import LEVEL_ORDER as LEVEL_ORDER
from learnmap.catalog.filters import ResourceFacets as ResourceFacets
from learnmap.catalog.filters import ResourceFilters
from learnmap.catalog.filters import resource_facets as resource_facets
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.core.errors import NotFound


def roadmap_list() -> QuerySet[Roadmap]:
    """Every roadmap by title, with the size of its active content (``section_count``,
    ``topic_count``, ``resource_count``: stored by the import), without its Markdown source.
    One query over the roadmaps alone, whatever they hold."""
    return Roadmap.objects.defer("source").order_by("title", "slug")


@dataclass(frozen=True)
class CatalogRevision:
    """The state of the whole catalog, where a cache key wants a roadmap's revision
    (``pk``, ``revision``, ``imported_at``, as ``cache.revision_stamp`` reads them): for what
    lists every roadmap (the home page, the API's list).

    It changes with every import, rename, new or deleted roadmap, and never comes back for
    other content: any write moves the latest ``updated_at`` on, and a deletion alone changes
    the count (and a state with the same latest row and count has had only deletions since,
    so it is the same set of rows)."""

    revision: int  # how many roadmaps there are
    imported_at: datetime | None  # the latest change to any of them
    pk: str = "catalog"


def catalog_revision() -> CatalogRevision:
    """One small query over the roadmaps (no node, resource or Markdown read)."""
    row = Roadmap.objects.order_by().aggregate(count=Count("id"), last=Max("updated_at"))
    return CatalogRevision(revision=row["count"], imported_at=row["last"])


def roadmap_get(*, slug: str) -> Roadmap:
    roadmap = Roadmap.objects.filter(slug=slug).first()
    if roadmap is None:
        raise NotFound(f"There is no roadmap with the slug {slug!r}.", code="unknown_roadmap")
    return roadmap


def node_list(*, roadmap: Roadmap, include_retired: bool = False) -> QuerySet[Node]:
    nodes = Node.objects.filter(roadmap=roadmap)
    if not include_retired:
        nodes = nodes.filter(retired_at__isnull=True)
    return nodes.order_by("position")


# --- nodes and resources for the learner's pages ------------------------------------------------


def node_get(*, roadmap: Roadmap, slug: str) -> Node:
    """The roadmap's active node with this slug (its parent loaded)."""
    node = (
        Node.objects.select_related("parent")
        .filter(roadmap=roadmap, slug=slug, retired_at__isnull=True)
        .first()
    )
    if node is None:
        raise NotFound(f"There is no {slug!r} in this roadmap.", code="unknown_node")
    return node


def node_get_by_key(*, key: UUID) -> Node:
    """A node by its stable key, retired or not (its roadmap and parent loaded)."""
    node = Node.objects.select_related("roadmap", "parent").filter(key=key).first()
    if node is None:
        raise NotFound("There is no such section or topic.", code="unknown_node")
    return node


def node_children(*, node: Node) -> list[Node]:
    """A section's active topics, in document order."""
    return list(Node.objects.filter(parent=node, retired_at__isnull=True).order_by("position"))


def resource_get_by_key(*, key: UUID) -> Resource:
    resource = Resource.objects.select_related("roadmap", "node").filter(key=key).first()
    if resource is None:
        raise NotFound("There is no such resource.", code="unknown_resource")
    return resource


def resource_find(*, roadmap: Roadmap, url: str, title: str) -> Resource | None:
    """The roadmap's active resource with this URL, the one with this title first."""
    found = Resource.objects.filter(roadmap=roadmap, url=url, retired_at__isnull=True)
    return found.order_by(ExpressionWrapper(~Q(title=title), BooleanField()), "position").first()


def resource_urls(*, roadmap: Roadmap) -> list[dict[str, Any]]:
    """Every active resource's key, node, title and URL (what a duplicate check reads)."""
    rows = Resource.objects.filter(roadmap=roadmap, retired_at__isnull=True).order_by("position")
    return list(rows.values("key", "node_id", "title", "url"))


NODE_OUTLINE_FIELDS = ("id", "key", "parent_id", "node_type", "kind", "slug", "title")
NODE_OUTLINE_FIELDS += ("step", "in_progress", "position")


def node_outline(*, roadmap: Roadmap) -> list[dict[str, Any]]:
    """The roadmap's active nodes in document order, as dicts with ``resource_count`` (its
    own active resources): one query, for drawing the map and the outline."""
    return list(
        Node.objects.filter(roadmap=roadmap, retired_at__isnull=True)
        .annotate(resource_count=Count("resources", filter=Q(resources__retired_at__isnull=True)))
        .order_by("position")
        .values(*NODE_OUTLINE_FIELDS, "resource_count")
    )


# --- resource lists (their filters: ``filters.py``) --------------------------------------------


def resource_list(
    *,
    roadmap: Roadmap | None = None,
    node: Node | None = None,
    filters: ResourceFilters | None = None,
) -> QuerySet[Resource]:
    """Active resources of a roadmap or of one node, narrowed by ``filters``, in document
    order (one query when evaluated)."""
    resources = Resource.objects.filter(retired_at__isnull=True)
    if roadmap is not None:
        resources = resources.filter(roadmap=roadmap)
    if node is not None:
        resources = resources.filter(node=node)
    if filters is not None:
        resources = filters.narrow(resources)
    # Roadmap by roadmap, in the order of the (roadmap, retired_at, position) index (every
    # retired_at here is NULL): a page is read off the index, with no sort.
    return resources.order_by("roadmap_id", "retired_at", "position")


class ListedResources:
    """Resources in document order, a page at a time: ``len()`` and ``[a:b]`` are all a
    paginator needs.

    A page's ids come first, read off the (roadmap, retired_at, position) index, then its rows
    (by id). When nothing narrows the list, ``parts`` gives each roadmap's stored size (by
    roadmap id, the list's order): the count costs nothing, and a page is read from the
    roadmaps it falls in, each from its own part of the index (no sort across roadmaps)."""

    def __init__(
        self, resources: QuerySet[Resource], parts: list[tuple[int, int]] | None = None
    ) -> None:
        self.resources = resources
        self.parts = parts
        self.count = sum(size for _id, size in parts) if parts is not None else None
        # How a page's rows are loaded (a listing's select_related/only), from their ids alone.
        self.shape: Callable[[QuerySet[Resource]], QuerySet[Resource]] = lambda rows: rows

    def __len__(self) -> int:
        if self.count is None:
            self.count = self.resources.count()
        return self.count

    def _ids(self, window: slice) -> list[int]:
        if self.parts is None:
            return list(self.resources.values_list("id", flat=True)[window])
        ids: list[int] = []
        start = 0
        for roadmap_id, size in self.parts:
            low, high = max(window.start - start, 0), min(window.stop - start, size)
            if low < high:
                part = self.resources
                if len(self.parts) > 1:
                    part = part.filter(roadmap_id=roadmap_id)
                ids += part.values_list("id", flat=True)[low:high]
            start += size
        return ids

    def __getitem__(self, window: slice) -> list[Resource]:
        ids = self._ids(window)
        rows = {r.pk: r for r in self.shape(Resource.objects.filter(id__in=ids))}
        return [rows[i] for i in ids if i in rows]


def resource_listing(
    *,
    roadmap: Roadmap | None = None,
    node: Node | None = None,
    filters: ResourceFilters | None = None,
) -> ListedResources:
    """``resource_list`` for a paged listing, whatever the catalog's size (``ListedResources``).
    ``roadmap`` needs its ``resource_count`` (``roadmap_header_get`` loads it)."""
    resources = resource_list(roadmap=roadmap, node=node, filters=filters)
    if node is not None or (filters is not None and filters.active):
        return ListedResources(resources)
    if roadmap is not None:
        return ListedResources(resources, parts=[(roadmap.pk, roadmap.resource_count)])
    parts = Roadmap.objects.order_by("id").values_list("id", "resource_count")
    return ListedResources(resources, parts=list(parts))


# --- search -----------------------------------------------------------------------------------


def _search_indexes_load(roadmaps: list[Roadmap]) -> dict[int, search.RoadmapIndex]:
    """Build the search index of these roadmaps: two queries for any number of them."""
    ids = [r.pk for r in roadmaps]
    nodes: dict[int, list[dict]] = {i: [] for i in ids}
    for row in (
        Node.objects.filter(roadmap_id__in=ids, retired_at__isnull=True)
        .order_by("position")
        .values("id", "key", "roadmap_id", "parent_id", "slug", "title")
    ):
        nodes[row["roadmap_id"]].append(row)
    resources: dict[int, list[dict]] = {i: [] for i in ids}
    for row in (
        Resource.objects.filter(roadmap_id__in=ids, retired_at__isnull=True)
        .order_by("position")
        .values("key", "roadmap_id", "node_id", "title", "author", "description", "url")
    ):
        resources[row["roadmap_id"]].append(row)
    return {
        r.pk: search.index_build(roadmap=r, nodes=nodes[r.pk], resources=resources[r.pk])
        for r in roadmaps
    }


def catalog_search(
    *, query: str, roadmap: Roadmap | None = None, limit: int = search.RESULTS_MAX
) -> search.SearchResults:
    """Resources and topics matching ``query`` across every roadmap (or one), ranked.

    One query (the roadmaps' current revisions) when their indexes are cached."""
    parsed = search.Query.parse(query)
    if parsed.is_empty:
        return search.SearchResults(query=parsed, hits=(), total=0)
    roadmaps = [roadmap] if roadmap is not None else list(roadmap_list())  # not their source
    indexes = search.indexes_get(roadmaps=roadmaps, load=_search_indexes_load)
    return search.search_indexes(indexes=indexes, query=parsed, limit=limit)


# --- for the API: the whole tree, and resources ranked by a search -------------------------------

TREE_NODE_FIELDS = ("id", "parent_id", "key", "slug", "title", "kind", "step", "in_progress")
TREE_NODE_FIELDS += ("intro",)
TREE_RESOURCE_FIELDS = ("node_id", "key", "title", "url", "author", "languages", "cost", "kind")
TREE_RESOURCE_FIELDS += ("level", "description", "formats", "tags")
# A search ranks every match; the API pages through at most this many of them.
SEARCH_RESOURCES_MAX = 1_000


def roadmap_tree(*, roadmap: Roadmap) -> list[dict[str, Any]]:
    """The roadmap's active sections in document order, as plain dicts: each with its own
    ``resources`` and its ``topics`` (each with its ``resources``). Two queries."""
    sections: list[dict[str, Any]] = []
    by_id: dict[int, dict[str, Any]] = {}
    for row in node_list(roadmap=roadmap).values(*TREE_NODE_FIELDS):
        node = {**row, "resources": []}
        if row["parent_id"] is None:
            node["topics"] = []
            sections.append(node)
        elif row["parent_id"] in by_id:
            by_id[row["parent_id"]]["topics"].append(node)
        else:
            continue  # a topic whose section is retired
        by_id[row["id"]] = node
    for row in resource_list(roadmap=roadmap).values(*TREE_RESOURCE_FIELDS):
        node = by_id.get(row["node_id"])
        if node is not None:
            node["resources"].append(row)
    return sections


class RankedResources:
    """Resources in the order a search ranked them, loaded a slice at a time (one query each):
    ``len()`` and ``[a:b]`` are all a paginator needs."""

    def __init__(self, keys: list[UUID], resources: QuerySet[Resource]):
        self.keys = keys
        self.resources = resources

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, window: slice) -> list[Resource]:
        keys = self.keys[window]
        rows = {r.key: r for r in self.resources.filter(key__in=keys)}
        return [rows[k] for k in keys if k in rows]


def resource_search(
    *,
    query: str,
    roadmap: Roadmap | None = None,
    node: Node | None = None,
    filters: ResourceFilters | None = None,
) -> RankedResources:
    """Active resources that match ``query``, best first, by the site's search ranking
    (``catalog_search``), narrowed like ``resource_list``: at most ``SEARCH_RESOURCES_MAX``.

    One query when the search indexes are cached, plus one when narrowed by a node or filters,
    plus one per slice read."""
    resources = resource_list(roadmap=roadmap, node=node, filters=filters)
    if node is not None and roadmap is None:
        roadmap = node.roadmap
    results = catalog_search(query=query, roadmap=roadmap, limit=SEARCH_RESOURCES_MAX)
    keys = [UUID(str(h.document.key)) for h in results.hits if h.document.kind == "resource"]
    if keys and (node is not None or (filters is not None and filters.active)):
        allowed = set(resources.values_list("key", flat=True))
        keys = [key for key in keys if key in allowed]
    return RankedResources(keys, resources)


ROADMAP_HEADER_FIELDS = ("id", "slug", "title", "revision", "imported_at", "electives_start")
ROADMAP_HEADER_FIELDS += ("source_sha256", "builtin", "resource_count")


def roadmap_header_get(*, slug: str) -> Roadmap:
    """The roadmap without its Markdown source (which may be megabytes): for cache keys,
    ETags and titles. One small query."""
    roadmap = Roadmap.objects.only(*ROADMAP_HEADER_FIELDS).filter(slug=slug).order_by().first()
    if roadmap is None:
        raise NotFound(f"There is no roadmap with the slug {slug!r}.", code="unknown_roadmap")
    return roadmap
