"""Catalog selectors: reading roadmaps, nodes and resources."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from learnmap.catalog.models import Node, Roadmap
from learnmap.core.errors import NotFound


def roadmap_list() -> QuerySet[Roadmap]:
    """Every roadmap with the size of its active content, for listings."""
    return Roadmap.objects.annotate(
        section_count=Count(
            "nodes", filter=Q(nodes__node_type="section", nodes__retired_at__isnull=True),
            distinct=True,
        ),
        resource_count=Count(
            "resources", filter=Q(resources__retired_at__isnull=True), distinct=True
        ),
    ).order_by("title")


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
