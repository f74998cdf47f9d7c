"""Roadmap headers (what every roadmap page asks first) live in the shared cache: each request
gets a copy of its own, and a change through the import service or a plain save (the admin)
shows at once, from any process."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnmap.catalog import services
from learnmap.catalog.models import Roadmap
from learnmap.catalog.structure import roadmap_header_find, roadmap_structure_get
from learnmap.core.cache import memos_clear

pytestmark = pytest.mark.django_db

SEED = (Path(__file__).resolve().parents[2] / "content" / "python-backend.md").read_text()


@pytest.fixture
def seed(db) -> Roadmap:
    services.roadmap_import(source=SEED, slug="python-backend")
    return Roadmap.objects.get(slug="python-backend")


def test_each_request_gets_its_own_copy_of_a_header(seed, django_assert_num_queries):
    first = roadmap_header_find(slug="python-backend")
    with django_assert_num_queries(0):
        second = roadmap_header_find(slug="python-backend")

    first.title = "Changed by one request"
    assert second is not first and second.title == seed.title
    assert roadmap_header_find(slug="python-backend").title == seed.title


def test_a_reimport_and_a_plain_save_show_at_once_in_every_process(seed):
    assert roadmap_header_find(slug="python-backend").revision == seed.revision
    memos_clear()  # "another process": nothing of this one's kept
    services.roadmap_import(
        source=SEED + "\n## Extra\n\n- [A](https://a.example)\n", slug="python-backend"
    )
    header = roadmap_header_find(slug="python-backend")
    assert header.revision == seed.revision + 1
    assert any(n.title == "Extra" for n in roadmap_structure_get(roadmap=header).sections)

    memos_clear()
    seed.refresh_from_db()
    seed.title = "Renamed in the admin"
    seed.save()
    assert roadmap_header_find(slug="python-backend").title == "Renamed in the admin"
    seed.delete()
    assert roadmap_header_find(slug="python-backend") is None
