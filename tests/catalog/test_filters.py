"""What the resource filters mean, at the selector (``resource_list``): several values of one
filter are alternatives, different filters combine, a language matches whole, retired resources
never show. Each is checked against the roadmap's own resources, read one by one.

The pages (tests/pages/test_filters.py) and the API (tests/api/test_catalog_api.py) test what
they add: reading the filters from the address, the notes on bad values, the form, the JSON.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone

from learnmap.catalog import services
from learnmap.catalog.models import Resource, Roadmap
from learnmap.catalog.selectors import ResourceFilters, resource_list
from tests.catalog.conftest import SEED

pytestmark = pytest.mark.django_db


@pytest.fixture
def roadmap() -> Roadmap:
    services.roadmap_import(source=SEED.read_text(encoding="utf-8"), slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


def listed(roadmap: Roadmap, **filters: tuple[str, ...]) -> list[str]:
    return [r.title for r in resource_list(roadmap=roadmap, filters=ResourceFilters(**filters))]


def those(roadmap: Roadmap, keep: Callable[[Resource], bool]) -> list[str]:
    """The roadmap's active resources that ``keep`` keeps, in document order, one by one."""
    resources = Resource.objects.filter(roadmap=roadmap, retired_at__isnull=True)
    return [r.title for r in resources.order_by("position") if keep(r)]


def test_no_filter_lists_every_active_resource_in_document_order(roadmap):
    assert listed(roadmap) == those(roadmap, lambda r: True)
    assert len(listed(roadmap)) == 85


def test_several_values_of_one_filter_are_alternatives(roadmap):
    either = listed(roadmap, kind=("Video", "Platform"))

    assert either == those(roadmap, lambda r: r.kind in {"Video", "Platform"})
    assert set(listed(roadmap, kind=("Video",))) < set(either)
    assert set(listed(roadmap, kind=("Platform",))) < set(either)
    assert listed(roadmap, language=("English", "Persian")) == those(
        roadmap, lambda r: {"English", "Persian"} & set(r.languages)
    )


def test_different_filters_combine(roadmap):
    persian_free = listed(roadmap, language=("Persian",), price=("free",))
    advanced_paid = listed(roadmap, level=("Advanced",), price=("paid",))

    assert persian_free == those(roadmap, lambda r: "Persian" in r.languages and r.cost == "free")
    assert advanced_paid == those(roadmap, lambda r: r.level == "Advanced" and r.cost == "paid")
    assert persian_free and advanced_paid
    assert len(persian_free) < len(listed(roadmap, language=("Persian",)))


def test_a_language_matches_whole_not_as_part_of_another(roadmap):
    assert listed(roadmap, language=("Persian",))
    assert listed(roadmap, language=("Pers",)) == []
    assert listed(roadmap, language=("ersian",)) == []
    assert listed(roadmap, language=("English|Persian",)) == []


def test_a_nodes_resources_are_filtered_the_same_way(roadmap):
    node = roadmap.nodes.get(slug="step-1-python", retired_at__isnull=True)
    filters = ResourceFilters(language=("Persian",))

    titles = [r.title for r in resource_list(node=node, filters=filters)]

    assert titles == ["python coderz", "Python Tricks"]


def test_retired_resources_never_show(roadmap):
    quera = Resource.objects.get(roadmap=roadmap, title="Quera")
    assert "Quera" in listed(roadmap, language=("Persian",))
    quera.retired_at = timezone.now()
    quera.save()

    assert "Quera" not in listed(roadmap, language=("Persian",))
    assert "Quera" not in listed(roadmap)
