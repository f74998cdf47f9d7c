"""Resource lists a page at a time, rendered once and shared by every learner.

A node page and the all-resources page show ``PAGE_SIZE`` resources at a time (Django's
``Paginator``; ``?page=N`` beside the filters), so what one request sends stays the same
whatever the roadmap holds (a 3,000-resource list gave a 1.6 MB node page).

A page's list (headings, resources, their "done" buttons) is rendered once per roadmap
revision, language, code, node (or the whole roadmap), filters and page number, cut at its
slots like an outline skeleton (``pages.skeleton``), and kept in the cache with what filling
it needs: each request fills the slots with the learner's "done" marks, the link-health
badges (they change without an import) and the "New" marks of their visit. A warm view
renders no resource at all.

The buttons carry no form of their own: they submit the page's one list form (the CSRF token
and the page's address, once), each to its resource's address (``formaction``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.core.paginator import Paginator
from django.http import QueryDict
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from learnmap.catalog import cache
from learnmap.catalog import selectors as catalog_selectors
from learnmap.catalog.models import Node, Roadmap
from learnmap.learning import selectors
from learnmap.learning.map import roadmap_map_get
from learnmap.learning.page_cache import code_fingerprint
from learnmap.learning.pages.labels import NodeUrls, state_icon_html
from learnmap.learning.pages.skeleton import Skeleton, Slots, outline_fill, skeleton_cut

# 100 resources are ~100 KB of HTML with their descriptions; 200 were 330 KB.
PAGE_SIZE = 100
LIST_VERSION = 1
LIST_CACHE_SECONDS = 24 * 60 * 60
_memo = cache.Memo(64, seconds=60)  # a busy list costs no unpickling


@dataclass(frozen=True)
class Listed:
    """What filling a resource's slots needs: its row id (the slot's), key, link, and when it
    last changed (for the "New" mark)."""

    id: int
    key: UUID
    url: str
    changed: datetime | None


@dataclass(frozen=True)
class ResourceList:
    """One page of a list: the skeleton, its resources, and where the page stands."""

    skeleton: Skeleton
    resources: tuple[Listed, ...]
    count: int  # matching resources, on every page
    number: int  # this page, from 1
    pages: int
    first: int  # the place of the page's first resource among the matching ones
    last: int

    def html(self, *, request, done: frozenset[UUID], new_since: datetime | None) -> SafeString:
        """The list filled for one learner: their "done" marks, the link badges as they are
        now, "New" on what changed after ``new_since``."""
        badges = _link_badges(request, self.resources)
        values = {}
        for item, badge in zip(self.resources, badges, strict=True):
            is_done = item.key in done
            new = new_since is not None and item.changed is not None and item.changed > new_since
            values[item.id] = {
                "pressed": SafeString("true" if is_done else "false"),
                "value": SafeString("0" if is_done else "1"),
                "icon": state_icon_html("done" if is_done else "not_started"),
                "new": _new_badge() if new else SafeString(""),
                "link": badge,
            }
        return SafeString(outline_fill(self.skeleton, values))  # escaped HTML throughout


def _link_badges(request, resources: tuple[Listed, ...]) -> list[SafeString]:
    """Each resource's link-health badge ("" when its link is ok), from the link checker's
    template tag (one query a request, whatever the number of resources)."""
    if not resources:
        return []
    separator = f"learnmap-badge-{secrets.token_hex(8)}"
    rendered = get_template("learning/link_badges.html").render(
        {"items": resources, "separator": separator}, request
    )
    return [SafeString(part) for part in rendered.split(separator)[: len(resources)]]


def _new_badge() -> SafeString:
    return format_html(
        '<li><span class="badge badge--new">{}<span class="visually-hidden"> ({})</span>'
        "</span></li>",
        gettext("New"),
        gettext("changed since your last visit"),
    )


def page_number(query: QueryDict) -> int:
    """The page the address asks for (1 when it is not a number)."""
    try:
        return max(int(query.get("page", "1")), 1)
    except ValueError:
        return 1


def node_is_paged(roadmap_slug: str, node_slug: str) -> bool:
    """Whether the node's resources take more than one page (from the cached map: no query
    when warm)."""
    roadmap = selectors.roadmap_header_get(slug=roadmap_slug)
    if roadmap is None:
        return False
    found = roadmap_map_get(roadmap=roadmap)
    item = next((i for i in found.items if i.slug == node_slug), None)
    return item is not None and item.resource_count > PAGE_SIZE


def page_of_resource(*, node: Node, filters, key: str) -> int:
    """The page of ``node``'s list (narrowed by ``filters``) that shows the resource ``key``
    (1 when it is not there): where a search result sends the learner (``?resource=``)."""
    rows = _grouped_order(list(catalog_selectors.resource_list(node=node, filters=filters)))
    place = next((i for i, r in enumerate(rows) if str(r.key) == key), 0)
    return place // PAGE_SIZE + 1


def page_url(query: QueryDict, number: int) -> str:
    """This address (its filters kept) at page ``number`` (page 1 without ``page``)."""
    other = query.copy()
    other.pop("page", None)
    if number > 1:
        other["page"] = str(number)
    return "?" + other.urlencode() if other else "?"


@dataclass
class ResourceGroup:
    level: str  # "" when the resources have no level
    kinds: list[tuple[str, list]]  # (kind or "", resources) in first-seen order


def resources_grouped(resources: Iterable) -> list[ResourceGroup]:
    """Resources by level (Beginner, Intermediate, Advanced, others, none) then kind."""
    levels: dict[str, dict[str, list]] = {}
    for resource in resources:
        levels.setdefault(resource.level, {}).setdefault(resource.kind, []).append(resource)
    order = catalog_selectors.LEVEL_ORDER

    def rank(level: str) -> tuple[int, int]:
        if level in order:
            return (0, order.index(level))
        return (1, 0) if level else (2, 0)

    return [
        ResourceGroup(level=level, kinds=list(levels[level].items()))
        for level in sorted(levels, key=rank)
    ]


def _grouped_order(resources: list) -> list:
    """``resources`` in the order their groups show them (a page cuts that order)."""
    return [
        r for group in resources_grouped(resources) for _kind, items in group.kinds for r in items
    ]


def resource_list_get(
    *, roadmap: Roadmap, node: Node | None, filters, filters_query: str, number: int
) -> ResourceList:
    """Page ``number`` (clamped to the last) of ``node``'s resources (grouped by level and
    kind), or of the whole roadmap's (under the node each is listed in), narrowed by
    ``filters``; from the cache, rendered when missing."""
    scope = f"node{node.pk}" if node is not None else "all"
    key = cache.revision_key(
        "resource-list",
        LIST_VERSION,
        roadmap,
        code_fingerprint(),
        get_language(),
        scope,
        filters_query,
        number,
    )

    def build() -> ResourceList:
        if node is not None:
            rows = _grouped_order(list(catalog_selectors.resource_list(node=node, filters=filters)))
        else:
            rows = catalog_selectors.resource_listing(roadmap=roadmap, filters=filters)
            rows.shape = lambda found: found.select_related("node")
        page = Paginator(rows, PAGE_SIZE).get_page(number)
        return _render(roadmap=roadmap, node=node, page=page)

    return cache.cached(key, build, expect=ResourceList, memo=_memo, timeout=LIST_CACHE_SECONDS)


def _render(*, roadmap: Roadmap, node: Node | None, page) -> ResourceList:
    nonce = secrets.token_hex(16)
    resources = list(page.object_list)
    for resource in resources:
        resource.v = Slots(resource.id, nonce)
    if node is not None:
        context = {"groups": resources_grouped(resources), "sections": None}
    else:
        url = NodeUrls(roadmap.slug)
        by_node: dict[int, list] = {}
        nodes: dict[int, Node] = {}
        for resource in resources:
            by_node.setdefault(resource.node_id, []).append(resource)
            nodes[resource.node_id] = resource.node
        context = {
            "groups": None,
            "sections": [
                (nodes[i].title, url(nodes[i].slug), resources_grouped(items))
                for i, items in by_node.items()
            ],
        }
    rendered = get_template("learning/resource_list.html").render(context)
    count = page.paginator.count
    return ResourceList(
        skeleton=skeleton_cut(rendered, nonce),
        resources=tuple(
            Listed(
                id=r.id,
                key=r.key,
                url=r.url or "",
                changed=max(filter(None, [r.created_at, r.updated_at]), default=None),
            )
            for r in resources
        ),
        count=count,
        number=page.number,
        pages=page.paginator.num_pages,
        first=page.start_index() if count else 0,
        last=page.end_index() if count else 0,
    )
