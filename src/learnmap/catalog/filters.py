"""The resource filters a learner narrows a list with (language, price, kind, level, format),
and the values a roadmap's resources have for each (its facets). ``selectors.resource_list``
applies them; the other apps read these names from ``selectors``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from learnmap.catalog.models import Resource, Roadmap

FILTER_NAMES = ("language", "price", "kind", "level", "format")
PRICES = ("free", "paid")
LEVEL_ORDER = ("Beginner", "Intermediate", "Advanced")


def _listing_any(column: str, values: tuple[str, ...]) -> Q:
    """Rows whose ``"|a|b|"`` column (``languages_index``, ``formats_index``) lists any of
    ``values``: the same query on SQLite and PostgreSQL."""
    found = Q()
    for value in values:
        found |= Q(**{f"{column}__contains": f"|{value}|"})
    return found


@dataclass(frozen=True)
class ResourceFilters:
    """What a learner narrowed resources to: several values of one filter are alternatives
    (English or Persian), different filters combine (Persian and free)."""

    language: tuple[str, ...] = ()
    price: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    format: tuple[str, ...] = ()  # "PDF", "EPUB"...

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FILTER_NAMES)

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(getattr(self, name)) for name in FILTER_NAMES if getattr(self, name)}

    def narrow(self, resources: QuerySet[Resource]) -> QuerySet[Resource]:
        if self.language:
            resources = resources.filter(_listing_any("languages_index", self.language))
        if self.price:
            resources = resources.filter(cost__in=self.price)
        if self.kind:
            resources = resources.filter(kind__in=self.kind)
        if self.level:
            resources = resources.filter(level__in=self.level)
        if self.format:
            resources = resources.filter(_listing_any("formats_index", self.format))
        return resources


@dataclass(frozen=True)
class ResourceFacets:
    """The values a roadmap's resources have, per filter, in a sensible order."""

    language: tuple[str, ...] = ()
    price: tuple[str, ...] = ()
    kind: tuple[str, ...] = ()
    level: tuple[str, ...] = ()
    format: tuple[str, ...] = ()


def _level_sort(level: str) -> tuple[int, str]:
    return (LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER), level)


def _listed(index: str) -> list[str]:
    return [value for value in index.split("|") if value]


def resource_facets(*, roadmap: Roadmap) -> ResourceFacets:
    """Every language, price, kind, level and format among the roadmap's active resources:
    one query."""
    languages: set[str] = set()
    prices: set[str] = set()
    kinds: set[str] = set()
    levels: set[str] = set()
    formats: set[str] = set()
    rows = (
        Resource.objects.filter(roadmap=roadmap, retired_at__isnull=True)
        .values_list("languages_index", "cost", "kind", "level", "formats_index")
        .distinct()
    )
    for languages_index, cost, kind, level, formats_index in rows:
        languages.update(_listed(languages_index))
        prices.add(cost)
        kinds.add(kind)
        levels.add(level)
        formats.update(_listed(formats_index))
    return ResourceFacets(
        language=tuple(sorted(languages)),
        price=tuple(p for p in PRICES if p in prices),
        kind=tuple(sorted(k for k in kinds if k)),
        level=tuple(sorted((v for v in levels if v), key=_level_sort)),
        format=tuple(sorted(formats)),
    )
