"""The few catalog reads the learning app needs, in one place.

They are read-only and return plain data. They belong in ``catalog.selectors`` (asked of the
catalog's owner); until they move there, nothing else in ``learning`` touches catalog models.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

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
