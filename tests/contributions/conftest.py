from __future__ import annotations

from pathlib import Path

import pytest

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Resource, Roadmap
from tests.factories import UserFactory

SEED = Path(__file__).resolve().parents[2] / "content" / "python-backend.md"


@pytest.fixture
def seed(db) -> Roadmap:
    catalog_services.roadmap_import(source=SEED.read_text(encoding="utf-8"), slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


@pytest.fixture
def caching(seed) -> Node:
    """An "(In Progress)" section: no resources yet."""
    return Node.objects.get(roadmap=seed, slug="caching")


@pytest.fixture
def clean_code_book(seed) -> Resource:
    return Resource.objects.get(roadmap=seed, node__slug="clean-code")


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def moderator(db):
    return UserFactory(is_staff=True)


NEW = {
    "title": "Caching at Scale",
    "url": "https://example.org/caching-at-scale",
    "author": "Ada Lovelace",
    "languages": ["English"],
    "cost": "free",
    "kind": "Book",
}
