"""The catalog's API: roadmaps (list, tree, Markdown, parsed JSON), resources, search.

All public, so no answer may cost more as the catalog grows. The list reads the sizes the
import stored; it, the tree, the Markdown and the parsed document are kept as bytes in
Django's cache (and a small memo in each process) per revision (of the roadmap, or of the
whole catalog for the list), and the tree's, Markdown's and document's ETag is known from the
revision alone, so a revalidation (304) costs one small query.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import NinjaJSONEncoder

from learnmap import roadmap_md
from learnmap.catalog import cache, selectors, services
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.catalog.schemas import (
    ROADMAP_SLUG,
    DocumentOut,
    ResourceFilterIn,
    ResourceListItemOut,
    RoadmapOut,
    RoadmapTreeOut,
)
from learnmap.catalog.search_schemas import SearchIn, SearchOut, search_out
from learnmap.core.api import PagePagination, conditional, not_modified, problems
from learnmap.core.api.auth import ANYONE, ANYONE_SECURITY
from learnmap.core.api.ratelimit import SEARCHES, SEARCHES_WITH_Q
from learnmap.core.errors import NotFound

logger = logging.getLogger(__name__)
router = Router(tags=["Catalog"])

TREE_FORMAT = 3  # bump when the tree's JSON changes shape: every cached copy is then stale
DOCUMENT_FORMAT = 1
LIST_FORMAT = 1
CACHE_SECONDS = 24 * 60 * 60
MEMO_SIZE = 8

SLUG = ROADMAP_SLUG


# --- cached bytes per revision ------------------------------------------------------------------

_memo = cache.Memo(MEMO_SIZE)


def _cached_bytes(key: str, build: Callable[[], bytes]) -> bytes:
    """The bytes under ``key``: from this process's memo, Django's cache, or ``build``
    (``catalog.cache``: a cache that cannot be read or written is a miss, never an error)."""
    return cache.cached(key, build, expect=bytes, memo=_memo, timeout=CACHE_SECONDS)


def _etag(key: str) -> str:
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _render(data: Schema) -> bytes:
    """Serialised as every other API response is (ninja's JSON renderer)."""
    return json.dumps(data.model_dump(), cls=NinjaJSONEncoder, ensure_ascii=False).encode()


def _json(body: bytes) -> HttpResponse:
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def tree_cache_key(roadmap: Roadmap) -> str:
    return cache.revision_key("api-tree", TREE_FORMAT, roadmap)


def tree_bytes(roadmap: Roadmap) -> bytes:
    def build() -> bytes:
        tree = RoadmapTreeOut.model_validate(
            {
                "slug": roadmap.slug,
                "title": roadmap.title,
                "revision": roadmap.revision,
                "imported_at": roadmap.imported_at,
                "electives_start": roadmap.electives_start,
                "sections": selectors.roadmap_tree(roadmap=roadmap),
            }
        )
        return _render(tree)

    return _cached_bytes(tree_cache_key(roadmap), build)


# --- roadmaps ------------------------------------------------------------------------------------


@router.get(
    "/roadmaps",
    response={200: list[RoadmapOut], 304: None, **problems(422)},
    summary="List the roadmaps",
    tags=["Roadmaps"],
)
@paginate(PagePagination)
def roadmap_list(request: HttpRequest):
    """Every roadmap in the catalog, by title."""
    catalog = selectors.catalog_revision()

    def build() -> bytes:
        roadmaps = [RoadmapOut.from_orm(r) for r in selectors.roadmap_list()]
        return json.dumps(
            [r.model_dump() for r in roadmaps], cls=NinjaJSONEncoder, ensure_ascii=False
        ).encode()

    key = cache.revision_key("api-roadmaps", LIST_FORMAT, catalog)
    return json.loads(_cached_bytes(key, build))


@router.get(
    "/roadmaps/{slug}",
    response={200: RoadmapTreeOut, 304: None, **problems(404, 422)},
    summary="A roadmap with its whole tree",
    tags=["Roadmaps"],
)
def roadmap_detail(request: HttpRequest, slug: str = SLUG):
    """The roadmap's sections in order, each with its resources and topics (each topic with
    its resources). Retired items (removed from the Markdown) are left out."""
    roadmap = selectors.roadmap_header_get(slug=slug)
    etag = _etag(tree_cache_key(roadmap))
    return not_modified(request, etag) or conditional(
        request, _json(tree_bytes(roadmap)), etag=etag
    )


@router.get(
    "/roadmaps/{slug}/markdown",
    response={200: None, 304: None, **problems(404, 422)},
    summary="A roadmap's Markdown",
    tags=["Roadmaps"],
    openapi_extra={
        "responses": {
            200: {  # an int, as ninja's own keys: a string would be a second "200"
                "description": "The Markdown file, byte for byte as last imported.",
                "content": {"text/markdown": {"schema": {"type": "string"}}},
            }
        }
    },
)
def roadmap_markdown(request: HttpRequest, slug: str = SLUG):
    """The roadmap's source, as its maintainers wrote it (``text/markdown``)."""
    roadmap = selectors.roadmap_header_get(slug=slug)
    key = cache.key("api-markdown", roadmap.source_sha256)
    etag = _etag(key)
    if response := not_modified(request, etag):
        return response
    body = _cached_bytes(key, lambda: services.roadmap_export(slug=slug).encode())
    response = HttpResponse(body, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.md"'
    return conditional(request, response, etag=etag)


@router.get(
    "/roadmaps/{slug}/document",
    response={200: DocumentOut, 304: None, **problems(404, 422)},
    summary="A roadmap's Markdown, parsed",
    tags=["Roadmaps"],
)
def roadmap_document(request: HttpRequest, slug: str = SLUG):
    """The Markdown parsed into JSON, exactly as ``learnmap convert FILE`` prints it: titles,
    slugs and kinds of sections and topics, and each resource with its line in the file."""
    roadmap = selectors.roadmap_header_get(slug=slug)
    key = cache.key("api-document", f"v{DOCUMENT_FORMAT}", roadmap.source_sha256)
    etag = _etag(key)

    def build() -> bytes:
        document = roadmap_md.parse(services.roadmap_export(slug=slug))
        return _render(DocumentOut.model_validate(roadmap_md.to_dict(document)))

    return not_modified(request, etag) or conditional(
        request, _json(_cached_bytes(key, build)), etag=etag
    )


# --- resources -----------------------------------------------------------------------------------


# What a listed resource shows, and no more (the roadmap row holds its whole Markdown source).
LISTING_FIELDS = (
    *("key", "title", "url", "author", "languages", "cost", "kind", "level", "description"),
    *("formats", "tags"),
    *("roadmap__slug", "node__key", "node__slug", "node__title"),
)


def _for_listing(resources: QuerySet[Resource]) -> QuerySet[Resource]:
    return resources.select_related("roadmap", "node").only(*LISTING_FIELDS)


def _place(filters: ResourceFilterIn) -> tuple[Roadmap | None, Node | None]:
    """The roadmap and node the filters name (a node by key, or by slug within the roadmap)."""
    roadmap = selectors.roadmap_header_get(slug=filters.roadmap) if filters.roadmap else None
    if not filters.node:
        return roadmap, None
    try:
        key = UUID(filters.node)
    except ValueError:
        key = None
    if key is not None:
        node = selectors.node_get_by_key(key=key)
        if roadmap is not None and node.roadmap_id != roadmap.pk:
            raise NotFound("This section or topic is not in that roadmap.", code="unknown_node")
        return roadmap, node
    if roadmap is None:
        raise NotFound(
            f"There is no node {filters.node!r} to look up: a node's slug is looked up in a "
            "roadmap (add roadmap=...); or give the node's key.",
            code="unknown_node",
        )
    return roadmap, selectors.node_get(roadmap=roadmap, slug=filters.node)


@router.get(
    "/resources",
    response={200: list[ResourceListItemOut], 304: None, **problems(400, 401, 404, 422, 429)},
    auth=ANYONE,
    throttle=SEARCHES_WITH_Q,
    summary="List or search resources",
    tags=["Resources"],
    openapi_extra=ANYONE_SECURITY,
)
@paginate(PagePagination)
def resource_list(request: HttpRequest, filters: Query[ResourceFilterIn]):
    """Resources in document order, narrowed by the site's filters; with ``q``, the ones
    matching the search, best first, ranked as on the site (rate limited like searches)."""
    roadmap, node = _place(filters)
    if filters.q and filters.q.strip():
        found = selectors.resource_search(
            query=filters.q, roadmap=roadmap, node=node, filters=filters.to_filters()
        )
        found.resources = _for_listing(found.resources)
        return found
    listed = selectors.resource_listing(roadmap=roadmap, node=node, filters=filters.to_filters())
    listed.shape = _for_listing
    return listed


@router.get(
    "/search",
    response={200: SearchOut, 304: None, **problems(401, 404, 422, 429)},
    auth=ANYONE,
    throttle=SEARCHES,
    summary="Search topics and resources",
    tags=["Resources"],
    openapi_extra=ANYONE_SECURITY,
)
def catalog_search(request: HttpRequest, params: Query[SearchIn]):
    """What the site's search page shows: topics and resources of every roadmap (or one),
    best first, with the fields that matched."""
    roadmap = selectors.roadmap_header_get(slug=params.roadmap) if params.roadmap else None
    return search_out(selectors.catalog_search(query=params.q, roadmap=roadmap, limit=params.limit))
