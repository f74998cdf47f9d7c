"""A roadmap with more resources than one PostgreSQL statement can carry parameters (65,535).

With parameters bound by the server (``DATABASE_PREPARED_STATEMENTS``, on by default) every
value is a protocol parameter: Django's bulk statements must stay under the limit, or writing
and deleting a large roadmap fails ("number of parameters must be between 0 and 65535"). The
same tests run on SQLite, where they pass either way.
"""

from __future__ import annotations

import pytest

from learnmap.catalog.models import Resource, Roadmap
from learnmap.learning.models import ResourceProgress
from tests.factories import NodeFactory, ResourceFactory, UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

MANY = 70_000  # over 65,535: one IN (...) or one multi-row INSERT of them all would fail


@pytest.fixture
def large_roadmap() -> Roadmap:
    topic = NodeFactory(parent=NodeFactory())
    Resource.objects.bulk_create(ResourceFactory.build(node=topic) for _ in range(MANY))
    return topic.roadmap


def test_a_roadmap_of_70000_resources_is_written_in_bulk(large_roadmap):
    assert Resource.objects.filter(roadmap=large_roadmap).count() == MANY


def test_deleting_a_roadmap_of_70000_resources_removes_it_and_its_learners_marks(large_roadmap):
    learner = UserFactory()
    resource = Resource.objects.filter(roadmap=large_roadmap).first()
    ResourceProgress.objects.create(user=learner, resource=resource)

    Roadmap.objects.filter(pk=large_roadmap.pk).delete()  # what the admin's delete does

    assert not Roadmap.objects.filter(pk=large_roadmap.pk).exists()
    assert not Resource.objects.filter(roadmap_id=large_roadmap.pk).exists()
    assert not ResourceProgress.objects.filter(user=learner).exists()


def test_reimporting_a_small_file_over_an_85000_resource_roadmap_removes_the_rest():
    from learnmap.catalog import services
    from tests.catalog.large_roadmap import SIZES, large_roadmap

    learner = UserFactory()
    services.roadmap_import(source=large_roadmap(SIZES[85_000]), slug="big")
    marked = Resource.objects.filter(roadmap__slug="big").order_by("-position").first()
    ResourceProgress.objects.create(user=learner, resource=marked)
    small = large_roadmap(SIZES[85])

    services.roadmap_import(source=small, slug="big")

    roadmap = Roadmap.objects.get(slug="big")
    assert roadmap.resource_count == SIZES[85].resource_count
    active = Resource.objects.filter(roadmap=roadmap, retired_at__isnull=True)
    assert active.count() == SIZES[85].resource_count
    # The resource a learner marked is kept (retired) with the mark; the others are gone.
    assert Resource.objects.filter(roadmap=roadmap).count() == SIZES[85].resource_count + 1
    assert ResourceProgress.objects.get(user=learner).resource_id == marked.pk
