"""Listing the roadmaps (home page, API, CLI): sizes stored by the import, answers cached per
state of the catalog, an import shown at once, a failing cache only a miss."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from learnmap.catalog import services
from learnmap.catalog.models import Node, Resource, Roadmap

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

SMALL = """# Small Roadmap

## Basics

- ### Reading
  - [Book A](https://example.com/a) (English) (Free)
  - [Book B](https://example.com/b) (English) (Paid)
- ### Writing
  - [Book C](https://example.com/c) (Persian) (Free)

## More

- [Site D](https://example.com/d) (English)
"""


def sizes(roadmap: Roadmap) -> tuple[int, int, int]:
    roadmap.refresh_from_db()
    return roadmap.section_count, roadmap.topic_count, roadmap.resource_count


def card_sizes(html: str) -> list[str]:
    return [" ".join(m.split()) for m in re.findall(r'<p class="card__meta">(.*?)</p>', html, re.S)]


def test_import_stores_the_size_of_the_active_content(seed_text):
    services.roadmap_import(source=SMALL, slug="small")
    roadmap = Roadmap.objects.get(slug="small")
    assert sizes(roadmap) == (2, 2, 4)

    # A topic and a resource removed: retired or deleted, no longer counted.
    services.roadmap_import(
        source=SMALL.replace(
            "- ### Writing\n  - [Book C](https://example.com/c) (Persian) (Free)\n", ""
        ),
        slug="small",
    )
    assert sizes(roadmap) == (2, 1, 3)

    services.roadmap_import(source=seed_text, slug="python-backend")
    seed = Roadmap.objects.get(slug="python-backend")
    assert sizes(seed) == (
        Node.objects.filter(roadmap=seed, node_type="section").count(),
        Node.objects.filter(roadmap=seed, node_type="topic").count(),
        85,
    )
    assert seed.section_count == 25


def test_refused_import_leaves_the_stored_sizes_alone():
    services.roadmap_import(source=SMALL, slug="small")
    with pytest.raises(Exception, match="javascript"):
        services.roadmap_import(
            source=SMALL.replace("https://example.com/d", "javascript:alert(1)"), slug="small"
        )
    assert sizes(Roadmap.objects.get(slug="small")) == (2, 2, 4)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_sizes_of_roadmaps_imported_before():
    services.roadmap_import(source=SMALL, slug="small")
    Resource.objects.filter(url="https://example.com/d").update(retired_at="2026-01-01T00:00Z")
    executor = MigrationExecutor(connection)
    executor.migrate([("catalog", "0001_initial")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # Every app forward again: going back to catalog 0001 unapplied the apps that depend on
    # the catalog's later migrations (contributions), whose tables later tests need.
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sizes(Roadmap.objects.get(slug="small")) == (2, 2, 3)  # the retired one not counted


def test_home_page_and_api_list_show_an_import_at_once():
    services.roadmap_import(source=SMALL, slug="small")
    client = Client()
    assert card_sizes(client.get("/").content.decode()) == ["2 sections · 2 topics · 4 resources"]
    assert client.get("/api/v1/roadmaps").json()["items"][0]["resource_count"] == 4

    services.roadmap_import(
        source=SMALL.replace("## More\n", "## More\n\n- [Site E](https://example.com/e)\n"),
        slug="small",
    )
    assert card_sizes(client.get("/").content.decode()) == ["2 sections · 2 topics · 5 resources"]
    assert client.get("/api/v1/roadmaps").json()["items"][0]["resource_count"] == 5

    services.roadmap_import(source=SMALL.replace("# Small", "# Other"), slug="other")
    assert len(card_sizes(client.get("/").content.decode())) == 2
    assert client.get("/api/v1/roadmaps").json()["count"] == 2

    Roadmap.objects.filter(slug="other").delete()
    assert len(card_sizes(client.get("/").content.decode())) == 1
    assert client.get("/api/v1/roadmaps").json()["count"] == 1


def test_the_shared_home_page_answers_a_revalidation_with_304():
    services.roadmap_import(source=SMALL, slug="small")
    client = Client()
    first = client.get("/")
    assert first.status_code == 200 and first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_cache_that_does_not_answer_is_a_miss_not_an_error(settings, free_port):
    services.roadmap_import(source=SMALL, slug="small")
    settings.CACHES = {  # a Redis that nothing listens for
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port}/0",
        }
    }
    client = Client()
    home = client.get("/")
    assert home.status_code == 200
    assert card_sizes(home.content.decode()) == ["2 sections · 2 topics · 4 resources"]
    listing = client.get("/api/v1/roadmaps")
    assert listing.status_code == 200 and listing.json()["items"][0]["resource_count"] == 4
    markdown = client.get("/api/v1/roadmaps/small/markdown")
    assert markdown.status_code == 200 and markdown.content.decode() == SMALL


def test_resources_api_pages_through_every_roadmap_in_document_order():
    services.roadmap_import(source=SMALL, slug="small")
    services.roadmap_import(source=SMALL.replace("example.com", "example.org"), slug="other")
    client = Client()
    pages = [client.get("/api/v1/resources", {"page_size": 3, "page": n}).json() for n in (1, 2, 3)]
    assert [p["count"] for p in pages] == [8, 8, 8]
    urls = [item["url"] for p in pages for item in p["items"]]
    expected = [f"https://example.{tld}/{x}" for tld in ("com", "org") for x in "abcd"]
    assert urls == expected
    filtered = client.get("/api/v1/resources", {"price": "free", "page_size": 1}).json()
    assert filtered["count"] == 4 and filtered["pages"] == 4


def test_the_search_page_counts_against_the_addresss_search_budget(settings):
    """A search reads every roadmap: the page is limited like the API's searches."""
    services.roadmap_import(source=SMALL, slug="small")
    settings.API_RATE_SEARCH_PER_IP = "3/m"
    client = Client()
    assert client.get("/search/").status_code == 200  # the form alone is not a search
    for _ in range(3):
        assert 'id="search-results"' in client.get("/search/", {"q": "book"}).content.decode()
    refused = client.get("/search/", {"q": "book"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many searches from your address" in refused.content.decode()
    assert 'id="search-results"' not in refused.content.decode()
    assert client.get("/api/v1/search", {"q": "book"}).status_code == 429  # the same budget
