"""The few catalog reads the learning app needs, in one place.

They are read-only and return plain data. They belong in ``catalog.selectors`` (asked of the
catalog's owner); until they move there, nothing else in ``learning`` touches catalog models.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import connection

from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.learning.figures import NodeInfo, ResourceInfo, RoadmapStructure

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


CHUNK = 500  # keys per IN (...) clause, well under SQLite's limit on query parameters


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    values = list(dict.fromkeys(values))
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def roadmap_structures_load(*, roadmaps: Iterable[Roadmap]) -> dict[int, RoadmapStructure]:
    """The structure of each roadmap (retired rows included): two queries for any number."""
    roadmaps = list(roadmaps)
    ids = {r.pk for r in roadmaps}
    if not ids:
        return {}
    nodes: dict[int, list[NodeInfo]] = {i: [] for i in ids}
    for row in Node.objects.filter(roadmap_id__in=ids).values(*_NODE_FIELDS):
        nodes[row["roadmap_id"]].append(
            NodeInfo(
                id=row["id"],
                key=row["key"],
                parent_id=row["parent_id"],
                node_type=row["node_type"],
                kind=row["kind"],
                slug=row["slug"],
                title=row["title"],
                position=row["position"],
                retired=row["retired_at"] is not None,
            )
        )
    resources: dict[int, list[ResourceInfo]] = {i: [] for i in ids}
    for row in Resource.objects.filter(roadmap_id__in=ids).values(*_RESOURCE_FIELDS):
        resources[row["roadmap_id"]].append(
            ResourceInfo(
                id=row["id"],
                key=row["key"],
                node_id=row["node_id"],
                title=row["title"],
                url=row["url"],
                position=row["position"],
                retired=row["retired_at"] is not None,
            )
        )
    return {
        r.pk: RoadmapStructure.build(
            roadmap_id=r.pk,
            slug=r.slug,
            title=r.title,
            revision=r.revision,
            nodes=nodes[r.pk],
            resources=resources[r.pk],
        )
        for r in roadmaps
    }


_HEADER_FIELDS = ("id", "slug", "title", "revision", "imported_at", "electives_start")


@functools.cache
def _roadmap_header_sql() -> str:
    quote = connection.ops.quote_name
    meta = Roadmap._meta
    columns = ", ".join(quote(meta.get_field(name).column) for name in _HEADER_FIELDS)
    slug = quote(meta.get_field("slug").column)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {slug} = %s"  # noqa: S608


def roadmap_header(*, slug: str) -> Roadmap | None:
    """The roadmap with this slug, without its Markdown source (the other fields deferred):
    what every learner's page asks first. Written out: building it with the ORM takes five
    times as long as running it (bench/web)."""
    return next(iter(Roadmap.objects.raw(_roadmap_header_sql(), [slug])), None)


def roadmaps_with_ids(*, ids: Iterable[int]) -> list[Roadmap]:
    return list(Roadmap.objects.filter(id__in=set(ids)).order_by("title"))


def roadmaps_by_slug(*, slugs: Iterable[str]) -> dict[str, Roadmap]:
    return {r.slug: r for r in Roadmap.objects.filter(slug__in=set(slugs))}


def nodes_by_key(*, keys: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    """Nodes (as dicts) by key: one query per 500 keys."""
    found: dict[UUID, dict[str, Any]] = {}
    for chunk in _chunks(keys):
        found.update(
            (row["key"], row) for row in Node.objects.filter(key__in=chunk).values(*_NODE_FIELDS)
        )
    return found


def resources_by_key(*, keys: Iterable[UUID]) -> dict[UUID, dict[str, Any]]:
    """Resources (as dicts) by key: one query per 500 keys."""
    found: dict[UUID, dict[str, Any]] = {}
    for chunk in _chunks(keys):
        found.update(
            (row["key"], row)
            for row in Resource.objects.filter(key__in=chunk).values(*_RESOURCE_FIELDS)
        )
    return found


def node_by_id(*, node_id: int) -> Node | None:
    return Node.objects.filter(id=node_id).first()
