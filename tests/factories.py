"""factory_boy factories for the models tests build directly (others add theirs here too).

Catalog rows normally come from ``catalog.services.roadmap_import``; these factories make
small, exact shapes (one elective section, a retired topic, 500 nodes) without a Markdown file.
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from learnmap.catalog.models import Node, NodeKind, NodeType, Resource, Roadmap


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap

    slug = factory.Sequence(lambda n: f"roadmap-{n}")
    title = factory.Sequence(lambda n: f"Roadmap {n}")
    source = ""
    source_sha256 = ""
    imported_at = factory.LazyFunction(timezone.now)


class NodeFactory(factory.django.DjangoModelFactory):
    """A section by default; pass ``parent=`` for a topic (it takes the parent's roadmap)."""

    class Meta:
        model = Node

    roadmap = factory.LazyAttribute(
        lambda o: o.parent.roadmap if o.parent is not None else RoadmapFactory()
    )
    parent = None
    node_type = factory.LazyAttribute(
        lambda o: NodeType.TOPIC if o.parent is not None else NodeType.SECTION
    )
    kind = factory.LazyAttribute(lambda o: o.parent.kind if o.parent is not None else NodeKind.STEP)
    title = factory.Sequence(lambda n: f"Node {n}")
    slug = factory.Sequence(lambda n: f"node-{n}")
    position = factory.Sequence(lambda n: n)
    line = factory.Sequence(lambda n: n + 1)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    node = factory.SubFactory(NodeFactory)
    roadmap = factory.LazyAttribute(lambda o: o.node.roadmap)
    title = factory.Sequence(lambda n: f"Resource {n}")
    link_text = factory.LazyAttribute(lambda o: o.title)
    url = factory.Sequence(lambda n: f"https://example.com/resource/{n}")
    languages = factory.LazyFunction(lambda: ["English"])
    languages_index = "|English|"
    cost = "free"
    kind = "Book"
    position = factory.Sequence(lambda n: n)
    line = factory.Sequence(lambda n: n + 1)
