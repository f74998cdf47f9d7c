"""Importing roadmaps: the catalog mirrors the Markdown, and identities survive edits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learnmap.catalog import services
from learnmap.catalog.models import Node, Resource, Roadmap
from learnmap.core.errors import ApplicationError, NotFound
from tests.refapp.models import Bookmark

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything the catalog holds, for 'nothing changed' assertions."""
    return (
        list(Roadmap.objects.order_by("id").values()),
        list(Node.objects.order_by("id").values()),
        list(Resource.objects.order_by("id").values()),
    )


def key_of(**lookup):
    return Resource.objects.get(**lookup).key


def test_seed_import_mirrors_the_markdown(seed_text):
    report = services.roadmap_import(source=seed_text, slug="python-backend")

    assert report.created
    roadmap = Roadmap.objects.get(slug="python-backend")
    assert roadmap.title == "Python Backend Engineer Roadmap"
    assert Resource.objects.filter(roadmap=roadmap).count() == 85
    sections = Node.objects.filter(roadmap=roadmap, node_type="section").order_by("position")
    assert sections.count() == 25
    steps = [s.title for s in sections if s.kind == "step"]
    assert steps == [
        "Step 0: Prerequisites",
        "Step 1: Python",
        "Step 2: Python Web Frameworks",
        "Step 3: Operating System",
    ]
    assert sections.filter(in_progress=True).count() == 10
    django = Node.objects.get(roadmap=roadmap, slug="django")
    assert django.node_type == "topic" and django.parent.title == "Step 2: Python Web Frameworks"
    fluent = Resource.objects.get(title="Fluent Python")
    assert (fluent.author, fluent.kind, fluent.level, fluent.cost, fluent.languages) == (
        "Luciano Ramalho",
        "Book",
        "Intermediate",
        "paid",
        ["English"],
    )
    assert Resource.objects.filter(languages_index__contains="|Persian|").count() == 21
    assert report.warnings, "the seed has lint warnings (duplicate URL, empty topics)"


def test_export_gives_back_the_imported_bytes(seed_text):
    services.roadmap_import(source=seed_text, slug="python-backend")
    assert services.roadmap_export(slug="python-backend").encode() == seed_text.encode()


def test_export_of_an_unknown_slug_is_a_clear_not_found():
    with pytest.raises(NotFound, match="no roadmap with the slug 'nope'"):
        services.roadmap_export(slug="nope")


def test_reimporting_the_same_file_changes_nothing(seed_text):
    services.roadmap_import(source=seed_text, slug="python-backend")
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = services.roadmap_import(source=seed_text, slug="python-backend")
    assert not report.changed
    assert "up to date" in report.summary()
    assert snapshot() == before
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_a_javascript_link_is_refused_with_its_line_and_nothing_changes(seed_text):
    services.roadmap_import(source=seed_text, slug="python-backend")
    before = snapshot()
    lines = seed_text.split("\n")
    target = next(i for i, line in enumerate(lines) if "[LeetCode]" in line)
    lines[target] = "    - [LeetCode](javascript:alert(1)) (English)"
    bad = "\n".join(lines)

    with pytest.raises(ApplicationError) as caught:
        services.roadmap_import(source=bad, slug="python-backend", source_name="seed.md")

    assert f"seed.md:{target + 1}: error:" in caught.value.message
    assert "Nothing was changed" in caught.value.message
    assert snapshot() == before


def test_an_unsafe_first_import_creates_no_roadmap():
    with pytest.raises(ApplicationError):
        services.roadmap_import(
            source="# T\n\n## Step 0: A\n\n- [x](javascript:void(0)) (English) (Free)\n",
            slug="evil",
        )
    assert not Roadmap.objects.filter(slug="evil").exists()


def test_invalid_slug_is_refused():
    with pytest.raises(ApplicationError, match="not a valid slug"):
        services.roadmap_import(source="# T\n", slug="Bad Slug!")


BASE = """# Roadmap

## Step 0: Basics

- **Book**
  - [Alpha by Ann](https://example.com/alpha) (English) (Free)
  - [Beta by Bob](https://example.com/beta) (English) (Paid)

## Step 1: More

- ### Topic One
  - **Video**
    - [Gamma](https://example.com/gamma) (Persian) (Free)

## Databases

- [Delta](https://example.com/delta) (English) (Free)
"""


def keys():
    return {
        "nodes": dict(Node.objects.values_list("slug", "key")),
        "resources": dict(Resource.objects.values_list("url", "key")),
    }


def test_reordering_sections_keeps_identities():
    services.roadmap_import(source=BASE, slug="r")
    before = keys()
    step0, rest = BASE.split("## Step 1: More")
    head, step0_body = step0.split("## Step 0: Basics")
    step1, databases = ("## Step 1: More" + rest).split("## Databases")
    reordered = (
        head
        + step1
        + "## Databases"
        + databases.rstrip("\n")
        + "\n\n## Step 0: Basics"
        + step0_body.rstrip("\n")
        + "\n"
    )
    report = services.roadmap_import(source=reordered, slug="r")
    assert keys() == before
    assert report.nodes.added == report.nodes.deleted == report.links.added == 0
    assert (
        Node.objects.get(slug="step-0-basics").position
        > Node.objects.get(slug="databases").position
    )


def test_retitling_a_resource_or_a_section_keeps_identities():
    services.roadmap_import(source=BASE, slug="r")
    section_key = Node.objects.get(slug="step-0-basics").key
    alpha_key = key_of(url="https://example.com/alpha")
    edited = BASE.replace("Alpha by Ann", "Alpha, Second Edition by Ann").replace(
        "## Step 0: Basics", "## Step 0: Foundations"
    )
    services.roadmap_import(source=edited, slug="r")
    alpha = Resource.objects.get(url="https://example.com/alpha")
    assert alpha.key == alpha_key and alpha.title == "Alpha, Second Edition"
    section = Node.objects.get(key=section_key)
    assert section.slug == "step-0-foundations" and section.retired_at is None


def test_a_changed_url_with_the_same_title_keeps_the_identity():
    services.roadmap_import(source=BASE, slug="r")
    beta_key = key_of(url="https://example.com/beta")
    services.roadmap_import(source=BASE.replace("example.com/beta", "example.org/beta2"), slug="r")
    assert key_of(url="https://example.org/beta2") == beta_key


def test_adding_lines_keeps_identities_and_updates_line_numbers():
    services.roadmap_import(source=BASE, slug="r")
    before = keys()
    gamma = Resource.objects.get(url="https://example.com/gamma")
    edited = BASE.replace("# Roadmap\n", "# Roadmap\n\nAn intro.\n\nMore intro.\n")
    report = services.roadmap_import(source=edited, slug="r")
    assert keys() == before
    shifted = Resource.objects.get(url="https://example.com/gamma")
    assert shifted.line == gamma.line + 4
    # Lines moving down is not a change of the resources: none is reported as updated, and
    # their time of last change (what "new since your last visit" reads) stays.
    assert report.links.updated == 0 and report.links.added == 0
    assert shifted.updated_at == gamma.updated_at
    assert "resources:" not in report.summary()


def test_a_moved_resource_keeps_its_identity():
    services.roadmap_import(source=BASE, slug="r")
    delta_key = key_of(url="https://example.com/delta")
    line = "- [Delta](https://example.com/delta) (English) (Free)\n"
    edited = BASE.replace(line, "").replace(
        "    - [Gamma]", "    - [Delta](https://example.com/delta) (English) (Free)\n    - [Gamma]"
    )
    services.roadmap_import(source=edited, slug="r")
    delta = Resource.objects.get(key=delta_key)
    assert delta.node.slug == "topic-one" and delta.kind == "Video"


def test_removed_items_are_deleted_when_nothing_refers_to_them():
    services.roadmap_import(source=BASE, slug="r")
    edited = BASE.replace("  - [Beta by Bob](https://example.com/beta) (English) (Paid)\n", "")
    report = services.roadmap_import(source=edited, slug="r")
    assert report.links.deleted == 1
    assert not Resource.objects.filter(url="https://example.com/beta").exists()


def test_removed_items_are_retired_while_something_refers_to_them():
    services.roadmap_import(source=BASE, slug="r")
    beta = Resource.objects.get(url="https://example.com/beta")
    topic = Node.objects.get(slug="topic-one")
    Bookmark.objects.create(resource=beta)
    Bookmark.objects.create(node=topic)
    without = BASE.replace("  - [Beta by Bob](https://example.com/beta) (English) (Paid)\n", "")
    without = without.replace(
        "- ### Topic One\n  - **Video**\n"
        "    - [Gamma](https://example.com/gamma) (Persian) (Free)\n",
        "",
    )
    report = services.roadmap_import(source=without, slug="r")

    beta.refresh_from_db()
    topic.refresh_from_db()
    assert beta.retired_at is not None and topic.retired_at is not None
    assert report.links.retired == 1 and report.nodes.retired == 1
    assert Bookmark.objects.count() == 2, "what referred to them is never lost"
    # Gamma had no bookmark: deleted, but the retired topic it lived in stays.
    assert not Resource.objects.filter(url="https://example.com/gamma").exists()

    # Putting them back restores the same rows instead of creating new ones.
    report = services.roadmap_import(source=BASE, slug="r")
    beta.refresh_from_db()
    topic.refresh_from_db()
    assert beta.retired_at is None and topic.retired_at is None
    assert report.links.restored == 1 and report.nodes.restored == 1


def test_swapping_two_section_titles_does_not_trip_the_unique_slug():
    source = "# R\n\n## Alpha\n\n- [A](https://a.example)\n\n## Beta\n\nMore.\n"
    services.roadmap_import(source=source, slug="r")
    swapped = "# R\n\n## Beta\n\n- [A](https://a.example)\n\n## Alpha\n\nMore.\n"
    services.roadmap_import(source=swapped, slug="r")
    assert sorted(Node.objects.values_list("slug", flat=True)) == ["alpha", "beta"]


def test_import_costs_a_constant_number_of_queries():
    def source(n: int) -> str:
        items = "".join(f"  - [R{i}](https://example.com/{i}) (English) (Free)\n" for i in range(n))
        topics = "".join(f"- ### T{j}\n{items}" for j in range(3))
        return f"# R\n\n## Step 0: A\n\n- **Book**\n{items}\n## B\n\n{topics}"

    counts = []
    for n in (5, 200):
        with CaptureQueriesContext(connection) as first:
            services.roadmap_import(source=source(n), slug=f"r{n}")
        with CaptureQueriesContext(connection) as again:
            services.roadmap_import(source=source(n).replace("# R", "# Renamed"), slug=f"r{n}")
        counts.append((len(first), len(again)))
    assert counts[0] == counts[1]


def test_import_file_names_bad_files(tmp_path):
    binary = tmp_path / "x.md"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ApplicationError, match=r"x\.md:1: binary"):
        services.roadmap_import_file(path=binary)
    with pytest.raises(ApplicationError, match=r"missing\.md"):
        services.roadmap_import_file(path=tmp_path / "missing.md")


def test_builtin_roadmaps_load_once_and_reload_when_the_file_changes(tmp_path, seed_text):
    (tmp_path / "python-backend.md").write_text(seed_text, encoding="utf-8", newline="")
    reports = services.roadmaps_load_builtin(directory=tmp_path)
    assert [r.slug for r in reports] == ["python-backend"]
    assert Roadmap.objects.get(slug="python-backend").builtin
    assert services.roadmaps_load_builtin(directory=tmp_path) == []
    (tmp_path / "python-backend.md").write_text(seed_text + "\nMore.\n", encoding="utf-8")
    assert [r.slug for r in services.roadmaps_load_builtin(directory=tmp_path)] == [
        "python-backend"
    ]
