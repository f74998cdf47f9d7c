"""Line numbers moving is not an update: one line inserted near the top of a roadmap of 3,000
resources is reported as the one real change, written in a few statements, and leaves every
other row's time of last change (what "new since your last visit" reads) alone."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnmap.catalog import services
from learnmap.catalog.models import Node, Resource, Roadmap
from tests.catalog.large_roadmap import SIZES, large_roadmap

pytestmark = pytest.mark.django_db

FIRST = "    - [Python 0](https://e.io/0) (Persian) (Paid)\n"
NEW = "    - [A New Link](https://e.io/new/?utm_source=x) (English) (Free)\n"


def writes(queries) -> list[str]:
    """The statements that wrote (an ``executemany`` is one, logged as "N times: UPDATE...")."""
    found = []
    for query in queries.captured_queries:
        sql = re.sub(r"^\d+ times: ", "", query["sql"].lstrip())
        if sql.upper().startswith(("UPDATE", "INSERT", "DELETE")):
            found.append(query["sql"][:80])
    return found


def test_one_line_inserted_near_the_top_of_3000_resources_is_the_one_change():
    text = large_roadmap(SIZES[3_000])
    assert FIRST in text
    services.roadmap_import(source=text, slug="big")
    stamps = dict(Resource.objects.values_list("id", "updated_at"))
    node_stamps = dict(Node.objects.values_list("id", "updated_at"))
    revision = Roadmap.objects.get(slug="big").revision
    edited = text.replace(FIRST, FIRST + NEW)

    plan = services.roadmap_import_plan(source=edited, slug="big")
    assert [item.title for item in plan.resources.added] == ["A New Link"]
    assert plan.resources.updated == [] and plan.resources.retired == []
    assert plan.nodes.updated == [] and plan.nodes.added == []

    with CaptureQueriesContext(connection) as queries:
        report = services.roadmap_import(source=edited, slug="big")
    assert (report.links.added, report.links.updated, report.links.retired) == (1, 0, 0)
    assert not report.nodes.changed
    assert "1 added" in report.summary() and "updated" not in report.summary()
    # Four statements: the rows below shifted (one UPDATE per table, by range: sync_places.py),
    # the new row, the roadmap's row. Never a statement per row, no content rewritten.
    assert len(writes(queries)) == 4, writes(queries)
    assert len(queries) <= 15
    new = Resource.objects.get(title="A New Link")
    assert dict(Resource.objects.exclude(id=new.id).values_list("id", "updated_at")) == stamps
    assert dict(Node.objects.values_list("id", "updated_at")) == node_stamps
    # One revision: every page is rebuilt once for the one change, not per row.
    assert Roadmap.objects.get(slug="big").revision == revision + 1


def test_a_line_that_is_no_item_inserted_near_the_top_changes_no_row():
    text = large_roadmap(SIZES[3_000])
    services.roadmap_import(source=text, slug="big")
    edited = text.replace("# Scale Test Roadmap\n", "# Scale Test Roadmap\n\n", 1)
    plan = services.roadmap_import_plan(source=edited, slug="big")
    assert not plan.changed
    report = services.roadmap_import(source=edited, slug="big")
    assert not report.nodes.changed and not report.links.changed


def places(slug: str) -> list[tuple]:
    """Every active row as a reader of the file places it: position, line, what it is."""
    nodes = Node.objects.filter(roadmap__slug=slug, retired_at=None)
    links = Resource.objects.filter(roadmap__slug=slug, retired_at=None)
    return sorted(nodes.values_list("position", "line", "title")) + sorted(
        links.values_list("position", "line", "title", "url")
    )


def edits(text: str) -> list[str]:
    middle = "    - [Django 1510](https://e.io/1510) (Persian) (Free)\n"
    late = "    - [Python 2805](https://e.io/2805) (Persian) (Paid)\n"
    assert middle in text and late in text
    return [
        text.replace(FIRST, FIRST + NEW),  # rows below shift by one
        text.replace(FIRST, ""),  # ... by minus one
        # Two inserts, a removal between, a retitle and a move: runs of other shifts.
        text.replace(FIRST, FIRST + NEW)
        .replace(middle, "")
        .replace(late, "")
        .replace(FIRST, FIRST + late.replace("Python 2805", "Python 2805, 2nd ed."))
        .replace("## Contribution\n", "## Contribution\n\n- [Last](https://e.io/last)\n"),
        # Sections swapped: each block of rows lands where the other was.
        swap_sections(text, "## Step 1: Django\n", "## Step 3: Redis\n"),
    ]


def swap_sections(text: str, first: str, second: str) -> str:
    a, b = text.index(first), text.index(second)
    a_end, b_end = text.index("\n## ", a) + 1, text.index("\n## ", b) + 1
    return text[:a] + text[b:b_end] + text[a_end:b] + text[a:a_end] + text[b_end:]


@pytest.mark.parametrize("edit", range(4))
def test_rows_that_only_moved_are_placed_as_a_fresh_import_places_them(edit):
    text = large_roadmap(SIZES[3_000])
    edited = edits(text)[edit]
    services.roadmap_import(source=text, slug="big")
    services.roadmap_import(source=edited, slug="big")
    services.roadmap_import(source=edited, slug="fresh")
    assert places("big") == places("fresh")
    # And back: the removed rows come back in their places.
    services.roadmap_import(source=text, slug="big")
    services.roadmap_import(source=text, slug="fresh-original")
    assert places("big") == places("fresh-original")
