"""A resource's formats ("(PDF)", "(EPUB)") and the tags Learnmap does not know ("(Chapter 3)",
"(繁体中文 only)") reach the catalog and its API: formats by their canonical names, other tags as
written. A re-import that changes only a tag updates the resource in place (same key, a
learner's progress kept) and counts as a change ("what's new" shows it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from learnmap.catalog import services
from learnmap.catalog.changes import nodes_changed_since
from learnmap.catalog.models import Resource, Roadmap
from learnmap.learning import services as learning_services
from learnmap.learning.learners import UserLearner
from learnmap.learning.models import ResourceProgress
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

THINK = "- [Think Python](https://example.com/think) (PDF) (EPUB) (English) (Free)\n"
CHAPTER = "- [Python 教程](https://example.com/zh) (繁体中文) (Chapter 3)\n"
LIST = (
    "# Reading\n\n## Python\n\n"
    + THINK
    + CHAPTER
    + "- [Go 语言圣经](https://example.com/gopl-zh) (繁体中文 only)\n"
    + "- [Both formats](https://example.com/both) (PDF/EPUB)\n"
    + "- [A talk](https://example.com/talk) (Video)\n"
    + "- [Fluent Python](https://example.com/fluent) (English)\n"
)
T = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def reading() -> Roadmap:
    with time_machine.travel(T - timedelta(days=1), tick=False):
        services.roadmap_import(source=LIST, slug="reading")
    return Roadmap.objects.get(slug="reading")


def stored(field: str) -> dict:
    return dict(Resource.objects.values_list("url", field))


def test_formats_by_name_and_other_tags_as_written_are_stored(reading):
    assert stored("formats") == {
        "https://example.com/think": ["PDF", "EPUB"],
        "https://example.com/zh": [],
        "https://example.com/gopl-zh": [],
        "https://example.com/both": ["PDF", "EPUB"],
        "https://example.com/talk": [],
        "https://example.com/fluent": [],
    }
    assert stored("tags") == {
        "https://example.com/think": [],  # formats, a language and a price: all said elsewhere
        "https://example.com/zh": ["Chapter 3"],
        "https://example.com/gopl-zh": ["繁体中文 only"],
        "https://example.com/both": [],
        "https://example.com/talk": ["Video"],  # a kind no label gave it: kept, not lost
        "https://example.com/fluent": [],
    }
    assert stored("languages")["https://example.com/zh"] == ["Chinese"]
    assert services.roadmap_export(slug="reading") == LIST  # the file as it was written


def reimport(source: str):
    with time_machine.travel(T, tick=False):
        return services.roadmap_import(source=source, slug="reading")


def test_a_changed_tag_updates_the_resource_in_place(reading):
    zh = Resource.objects.get(url="https://example.com/zh")
    fluent = Resource.objects.get(url="https://example.com/fluent")
    learner = UserLearner(user=UserFactory())
    learning_services.resource_progress_set(learner=learner, resource=zh, done=True)

    report = reimport(LIST.replace("(Chapter 3)", "(Chapter 4)"))

    again = Resource.objects.get(url="https://example.com/zh")
    assert (again.pk, again.key) == (zh.pk, zh.key)  # the same resource
    assert again.tags == ["Chapter 4"]
    assert again.updated_at == T  # a change of content
    assert report.links.updated == 1 and report.links.added == report.links.deleted == 0
    assert Resource.objects.get(pk=fluent.pk).updated_at == fluent.updated_at  # untouched
    assert ResourceProgress.objects.filter(resource=zh, user=learner.user).exists()
    assert nodes_changed_since(roadmap=reading, since=T - timedelta(seconds=1)) == {zh.node.key}


def test_an_added_format_updates_the_resource(reading):
    think = Resource.objects.get(url="https://example.com/think")
    reimport(LIST.replace(THINK, THINK.replace("(EPUB)", "(EPUB) (MOBI)")))
    again = Resource.objects.get(url="https://example.com/think")
    assert again.key == think.key
    assert again.formats == ["PDF", "EPUB", "MOBI"]
    assert again.updated_at == T


def test_an_import_that_changes_nothing_changes_no_resource(reading):
    report = reimport(LIST)
    assert report.links.updated == 0
    assert not Resource.objects.filter(updated_at=T).exists()


def test_the_api_gives_formats_and_tags(reading, client):
    listed = client.get("/api/v1/resources", {"roadmap": "reading"}).json()["items"]
    by_url = {item["url"]: item for item in listed}
    assert by_url["https://example.com/think"]["formats"] == ["PDF", "EPUB"]
    assert by_url["https://example.com/think"]["tags"] == []
    assert by_url["https://example.com/zh"]["tags"] == ["Chapter 3"]
    assert by_url["https://example.com/zh"]["languages"] == ["Chinese"]

    tree = client.get("/api/v1/roadmaps/reading").json()
    resources = {r["url"]: r for r in tree["sections"][0]["resources"]}
    assert resources["https://example.com/gopl-zh"]["tags"] == ["繁体中文 only"]
    assert resources["https://example.com/both"]["formats"] == ["PDF", "EPUB"]

    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"formats", "tags"} <= set(schema["ResourceOut"]["required"])


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_resources_imported_before():
    with time_machine.travel(T - timedelta(days=1), tick=False):
        services.roadmap_import(source=LIST, slug="reading")
    before = stored("updated_at")
    executor = MigrationExecutor(connection)
    executor.migrate([("catalog", "0002_roadmap_counts")])  # the columns did not exist
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app forward again

    assert stored("formats")["https://example.com/think"] == ["PDF", "EPUB"]
    assert stored("tags")["https://example.com/gopl-zh"] == ["繁体中文 only"]
    assert stored("updated_at") == before  # filled, not changed
    assert reimport(LIST).links.updated == 0  # the next import finds nothing new


def test_one_link_listed_twice_with_two_formats_keeps_each_its_own_row(db):
    pdf = "- [Think Python](https://example.com/think) (PDF)\n"
    epub = "- [Think Python](https://example.com/think) (EPUB)\n"
    services.roadmap_import(source="# Reading\n\n## Python\n\n" + pdf + epub, slug="twice")
    keys = dict(Resource.objects.values_list("formats_index", "key"))

    services.roadmap_import(source="# Reading\n\n## Python\n\n" + epub, slug="twice")

    epub_row = Resource.objects.get(retired_at__isnull=True)
    assert epub_row.formats == ["EPUB"]
    assert epub_row.key == keys["|EPUB|"]  # not the removed PDF item's row
