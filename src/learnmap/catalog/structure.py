"""A roadmap's structure: its nodes and resources in document order, as plain frozen data.

What every learner's page and the progress figures walk; built by ``selectors`` from two
queries and kept in the cache per revision (``cache``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS

from learnmap.catalog import cache
from learnmap.catalog.models import Node, Resource, Roadmap


@dataclass(frozen=True, slots=True)
class NodeInfo:
    id: int
    key: UUID
    parent_id: int | None
    node_type: str  # "section" | "topic"
    kind: str  # "step" | "elective" | "extra" | "text"
    slug: str
    title: str
    position: int
    retired: bool = False


@dataclass(frozen=True, slots=True)
class ResourceInfo:
    id: int
    key: UUID
    node_id: int
    title: str
    url: str
    position: int
    retired: bool = False


@dataclass(frozen=True)
class RoadmapStructure:
    """A roadmap's nodes and resources in document order (retired ones included, flagged).

    Plain data, so it pickles into a cache; build it with ``RoadmapStructure.build``.
    """

    roadmap_id: int
    slug: str
    title: str
    revision: int
    nodes: tuple[NodeInfo, ...]
    resources: tuple[ResourceInfo, ...]
    children: Mapping[int, tuple[int, ...]] = field(repr=False)
    resources_by_node: Mapping[int, tuple[int, ...]] = field(repr=False)
    by_id: Mapping[int, NodeInfo] = field(repr=False)
    resources_by_id: Mapping[int, ResourceInfo] = field(repr=False)
    by_key: Mapping[UUID, NodeInfo] = field(repr=False)

    @classmethod
    def build(
        cls,
        *,
        roadmap_id: int,
        slug: str,
        title: str,
        revision: int,
        nodes: Iterable[NodeInfo],
        resources: Iterable[ResourceInfo],
    ) -> RoadmapStructure:
        ordered_nodes = tuple(sorted(nodes, key=lambda n: n.position))
        ordered_resources = tuple(sorted(resources, key=lambda r: r.position))
        children: dict[int, list[int]] = {}
        for node in ordered_nodes:
            if node.parent_id is not None:
                children.setdefault(node.parent_id, []).append(node.id)
        by_node: dict[int, list[int]] = {}
        for resource in ordered_resources:
            by_node.setdefault(resource.node_id, []).append(resource.id)
        return cls(
            roadmap_id=roadmap_id,
            slug=slug,
            title=title,
            revision=revision,
            nodes=ordered_nodes,
            resources=ordered_resources,
            children={k: tuple(v) for k, v in children.items()},
            resources_by_node={k: tuple(v) for k, v in by_node.items()},
            by_id={n.id: n for n in ordered_nodes},
            resources_by_id={r.id: r for r in ordered_resources},
            by_key={n.key: n for n in ordered_nodes},
        )

    @property
    def sections(self) -> tuple[NodeInfo, ...]:
        return tuple(n for n in self.nodes if n.parent_id is None)

    def units(self, section: NodeInfo) -> tuple[NodeInfo, ...]:
        """The leaves that measure a section: its active topics, or itself if it has none."""
        topics = tuple(
            self.by_id[i] for i in self.children.get(section.id, ()) if not self.by_id[i].retired
        )
        if topics:
            return topics
        return () if section.retired else (section,)


# --- reads (selectors): structures and headers, cached per revision -----------------------------

STRUCTURE_VERSION = 1
_NODE_FIELDS = (
    "id",
    "key",
    "roadmap_id",
    "parent_id",
    "node_type",
    "kind",
    "slug",
    "title",
    "position",
    "retired_at",
)
_RESOURCE_FIELDS = ("id", "key", "roadmap_id", "node_id", "title", "url", "position", "retired_at")
HEADER_FIELDS = ("id", "slug", "title", "revision", "imported_at", "electives_start")
CHUNK = 500  # keys per IN (...) clause, well under SQLite's limit on query parameters

# A few structures kept in each process in front of the shared cache: unpickling a large
# roadmap's structure (10,000 resources) costs ~100 ms; a structure never changes under its key.
_structures = cache.Memo(8)


def _structures_load(roadmaps: list) -> dict[str, RoadmapStructure]:
    """The structure of each roadmap (retired rows included) by cache key: two queries."""
    ids = {r.pk for r in roadmaps}
    nodes: dict[int, list[NodeInfo]] = {i: [] for i in ids}
    for row in Node.objects.filter(roadmap_id__in=ids).values(*_NODE_FIELDS):
        nodes[row.pop("roadmap_id")].append(NodeInfo(**_live(row)))
    resources: dict[int, list[ResourceInfo]] = {i: [] for i in ids}
    for row in Resource.objects.filter(roadmap_id__in=ids).values(*_RESOURCE_FIELDS):
        resources[row.pop("roadmap_id")].append(ResourceInfo(**_live(row)))
    return {
        _structure_key(r): RoadmapStructure.build(
            roadmap_id=r.pk,
            slug=r.slug,
            title=r.title,
            revision=r.revision,
            nodes=nodes[r.pk],
            resources=resources[r.pk],
        )
        for r in roadmaps
    }


def _live(row: dict) -> dict:
    row["retired"] = row.pop("retired_at") is not None
    return row


def _structure_key(roadmap) -> str:
    return cache.revision_key("structure", STRUCTURE_VERSION, roadmap)


def roadmap_structures_get(*, roadmaps: Iterable) -> dict[int, RoadmapStructure]:
    """Structures of several roadmaps by id: from this process's memo or the cache, the
    missing ones in two queries."""
    keys = {_structure_key(r): r for r in roadmaps}
    found = cache.cached_many(keys, _structures_load, expect=RoadmapStructure, memo=_structures)
    return {keys[k].pk: found[k] for k in keys}


def roadmap_structure_get(*, roadmap) -> RoadmapStructure:
    """The roadmap's sections, topics and resources in document order (retired ones flagged),
    cached per import revision: no query when warm, two when cold."""
    return roadmap_structures_get(roadmaps=[roadmap])[roadmap.pk]


# The header's fields in the model's order: the order ``Model.from_db`` reads a row in.
_HEADER_ROW = tuple(f.attname for f in Roadmap._meta.concrete_fields if f.attname in HEADER_FIELDS)


def _is_header_row(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == len(_HEADER_ROW)


def roadmap_header_find(*, slug: str):
    """The roadmap with this slug without its Markdown source (only ``HEADER_FIELDS``), or
    None: what every learner's page asks first. Its row (a tuple of those fields: a fraction
    of a pickled model to read) is kept in the shared cache until the roadmap is saved or
    deleted (``cache.header_forget``); each call builds its own instance from it, as a query
    would, so nothing one request does to it reaches another."""
    name = cache.header_key(slug)
    row = cache.get(name, expect=_is_header_row)
    if row is None:
        row = Roadmap.objects.filter(slug=slug).values_list(*_HEADER_ROW).order_by().first()
        if row is None:
            return None
        cache.put(name, row)
    return Roadmap.from_db(DEFAULT_DB_ALIAS, _HEADER_ROW, row)


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def roadmaps_with_ids(*, ids: Iterable[int]) -> list:
    return list(Roadmap.objects.filter(id__in=set(ids)).order_by("title"))


def roadmaps_by_slug(*, slugs: Iterable[str]) -> dict:
    return {r.slug: r for r in Roadmap.objects.filter(slug__in=set(slugs))}


def nodes_by_key(*, keys: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    """Nodes (as dicts) by key: one query per 500 keys."""
    found: dict[UUID, dict[str, Any]] = {}
    for chunk in _chunks(keys):
        rows = Node.objects.filter(key__in=chunk).values(*_NODE_FIELDS)
        found.update((row["key"], row) for row in rows)
    return found


def resources_by_key(*, keys: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    """Resources (as dicts) by key: one query per 500 keys."""
    found: dict[UUID, dict[str, Any]] = {}
    for chunk in _chunks(keys):
        rows = Resource.objects.filter(key__in=chunk).values(*_RESOURCE_FIELDS)
        found.update((row["key"], row) for row in rows)
    return found


def node_by_id(*, node_id: int):
    return Node.objects.filter(id=node_id).first()
