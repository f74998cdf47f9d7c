"""Reading the sources."""

from __future__ import annotations

from django.db.models import QuerySet

from learnmap.core.errors import NotFound
from learnmap.sources.models import Source


def source_list() -> QuerySet[Source]:
    return Source.objects.select_related("roadmap").order_by("roadmap__slug")


def source_get(*, slug: str) -> Source:
    source = Source.objects.select_related("roadmap").filter(roadmap__slug=slug).first()
    if source is None:
        raise NotFound(f"The roadmap {slug!r} does not follow a repository.", code="no_source")
    return source


def source_for_roadmap(*, roadmap_id: int) -> Source | None:
    return Source.objects.filter(roadmap_id=roadmap_id).first()
