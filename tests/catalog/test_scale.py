"""Scale: what an anonymous visitor asks for costs the same with an 85,000-resource roadmap as
with the seed's 85 (issue 9: `/` and `/api/v1/roadmaps` took 210-268 s with one, and
`/healthz` timed out meanwhile).

Each size is imported once (a generated roadmap, ``large_roadmap.py``); every test then asks
with a warm cache and pins the number of queries, the same for both sizes. Timings are
``bench/scale``'s business, not a test's.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from learnmap.catalog import services
from learnmap.catalog.models import Roadmap
from learnmap.learning.pages.listing import PAGE_SIZE as SIZE
from tests.catalog.large_roadmap import SIZES, WORDS, large_roadmap

pytestmark = [pytest.mark.slow, pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

SLUG = "scale"


@pytest.fixture(scope="module", params=[85, 85_000], ids=["85-resources", "85000-resources"])
def catalog(request, django_db_setup, django_db_blocker):
    """The catalog holds one generated roadmap of this size (imported once per module)."""
    shape = SIZES[request.param]
    with django_db_blocker.unblock():
        Roadmap.objects.filter(slug=SLUG).delete()
        services.roadmap_import(source=large_roadmap(shape), slug=SLUG)
        yield shape
        Roadmap.objects.filter(slug=SLUG).delete()


def assert_reads_roadmaps_only(queries: CaptureQueriesContext) -> None:
    """No query joins nodes or resources, or reads a roadmap's Markdown (megabytes)."""
    for query in queries.captured_queries:
        sql = query["sql"]
        assert "catalog_node" not in sql and "catalog_resource" not in sql, sql
        assert '"catalog_roadmap"."source"' not in sql, sql


def sizes(html: str) -> str:
    """The card's line of sizes on the home page, e.g. '100 sections · 1700 topics · ...'."""
    found = re.search(r'<p class="card__meta">(.*?)</p>', html, re.S)
    assert found, "no roadmap card on the home page"
    return " ".join(found.group(1).replace(",", "").split())


def test_home_page_shows_the_stored_sizes_at_a_fixed_cost(catalog, django_assert_num_queries):
    client = Client()
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/")
    assert first.status_code == 200
    assert_reads_roadmaps_only(cold)
    expected = (
        f"{catalog.section_count} sections · {catalog.topic_count} topics · "
        f"{catalog.resource_count} resources"
    )
    assert sizes(first.content.decode()) == expected
    with django_assert_num_queries(1):  # which state the catalog is in
        again = Client().get("/")
    assert again.status_code == 200
    assert sizes(again.content.decode()) == expected


def test_roadmap_list_api_gives_the_sizes_at_a_fixed_cost(catalog, django_assert_num_queries):
    client = Client()
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/api/v1/roadmaps").status_code == 200
    assert_reads_roadmaps_only(cold)
    with django_assert_num_queries(1):  # which state the catalog is in
        response = client.get("/api/v1/roadmaps")
    assert response.status_code == 200
    (roadmap,) = response.json()["items"]
    assert roadmap["slug"] == SLUG
    assert roadmap["section_count"] == catalog.section_count
    assert roadmap["topic_count"] == catalog.topic_count
    assert roadmap["resource_count"] == catalog.resource_count


def test_health_check_does_not_look_at_the_catalog(catalog, django_assert_num_queries):
    client = Client()
    client.get("/healthz")
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200


def test_roadmap_page_is_served_from_the_cache(catalog, django_assert_max_num_queries):
    client = Client()
    first = client.get(f"/r/{SLUG}/")
    assert first.status_code == 200
    assert "Step 0: Python" in first.content.decode()
    with django_assert_max_num_queries(1):  # the roadmap's revision (kept a second)
        again = Client().get(f"/r/{SLUG}/")
    assert again.status_code == 200
    assert again.content.count(b"Step 0: Python") == first.content.count(b"Step 0: Python")


@pytest.mark.parametrize("scope", ["?roadmap=scale&", "?"], ids=["one-roadmap", "all-roadmaps"])
def test_resources_api_reads_any_page_at_a_fixed_cost(
    catalog, scope, django_assert_max_num_queries
):
    last = -(-catalog.resource_count // 100)
    address = f"/api/v1/resources{scope}page_size=100&page={last}"
    Client().get(address)
    with django_assert_max_num_queries(3):  # the roadmap(s), the page's ids, its rows
        response = Client().get(address)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == catalog.resource_count and body["pages"] == last
    titles = [item["title"] for item in body["items"]]
    assert len(titles) == catalog.resource_count - (last - 1) * 100
    assert titles[-1].endswith(f" {catalog.resource_count - 1}")  # the file's last resource


def test_roadmap_page_with_a_query_string_is_sent_to_the_cached_page(
    catalog, django_assert_num_queries
):
    Client().get(f"/r/{SLUG}/")
    with django_assert_num_queries(0):  # not rendered for the query string
        response = Client().get(f"/r/{SLUG}/?utm_source=feed&x=1")
    assert response.status_code == 302 and response["Location"] == f"/r/{SLUG}/"


def test_all_resources_page_shows_a_page_at_a_time(catalog, django_assert_max_num_queries):
    address = f"/r/{SLUG}/resources/"
    Client().get(address)
    # The roadmap and its size (kept a second), the page's ids, its rows, the links' health.
    with django_assert_max_num_queries(5):
        response = Client().get(address)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<li class="resource"') == min(catalog.resource_count, SIZE)
    if catalog.resource_count <= SIZE:
        assert f"{catalog.resource_count} resources shown." in html and "Page 1 of" not in html
        return
    assert f"Resources 1\N{EN DASH}{SIZE} of {catalog.resource_count}." in html
    last = -(-catalog.resource_count // SIZE)
    assert f"Page 1 of {last}" in html and 'href="?page=2#resources"' in html
    end = Client().get(f"{address}?page={last}").content.decode()
    assert f"Page {last} of {last}" in end
    word = WORDS[(catalog.sections - 1) % len(WORDS)]
    assert f"<bdi>{word} {catalog.resource_count - 1}</bdi>" in end  # the file's last resource


def test_node_page_costs_the_same_whatever_the_roadmap_holds(
    catalog, django_assert_max_num_queries
):
    address = f"/r/{SLUG}/n/python-00/"  # the first topic: "Python 0.0"
    Client().get(address)
    # The roadmap (kept a second), the node, its resources, the links' health.
    with django_assert_max_num_queries(4):
        response = Client().get(address)
    assert response.status_code == 200
    assert response.content.decode().count('<li class="resource"') == catalog.resources


def test_my_progress_page_of_a_visitor_who_tracked_nothing_reads_no_roadmap(
    catalog, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = Client().get("/me/progress/")
    assert response.status_code == 200
