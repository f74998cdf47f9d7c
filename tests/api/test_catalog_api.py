"""The public catalog API: roadmaps, their tree, Markdown and parsed form, resources, search."""

from __future__ import annotations

import json

import pytest

from learnmap import roadmap_md
from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Resource
from learnmap.catalog.selectors import ResourceFilters, catalog_search, resource_list
from tests.api.conftest import SEED, assert_problem

pytestmark = pytest.mark.django_db


# --- roadmaps -----------------------------------------------------------------------------------


def test_roadmap_list_names_each_roadmap_with_its_size(seeded, anon):
    body = anon.get("/roadmaps").json()
    assert body["count"] == 1 and body["pages"] == 1
    (roadmap,) = body["items"]
    assert roadmap["slug"] == "python-backend"
    assert roadmap["title"] == "Python Backend Engineer Roadmap"
    assert roadmap["section_count"] == 25 and roadmap["resource_count"] == 85


def test_tree_has_every_section_topic_and_resource_in_document_order(seeded, anon):
    response = anon.get("/roadmaps/python-backend")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    tree = response.json()
    assert tree["slug"] == "python-backend" and tree["revision"] == seeded.roadmap.revision
    document = roadmap_md.parse(SEED.read_text(encoding="utf-8"))
    assert [s["slug"] for s in tree["sections"]] == [s.slug for s in document.sections]
    by_slug = {s["slug"]: s for s in tree["sections"]}
    frameworks = by_slug["step-2-python-web-frameworks"]
    assert [t["slug"] for t in frameworks["topics"]][:3] == ["django", "fastapi", "flask"]
    django_topic = frameworks["topics"][0]
    expected = [
        r.title for r in document.section("step-2-python-web-frameworks").topic("django").resources
    ]
    assert [r["title"] for r in django_topic["resources"]] == expected
    counted = sum(
        len(s["resources"]) + sum(len(t["resources"]) for t in s["topics"])
        for s in tree["sections"]
    )
    assert counted == Resource.objects.filter(roadmap=seeded.roadmap).count()
    first = django_topic["resources"][0]
    assert set(first) == {
        "key", "title", "url", "author", "languages", "cost", "kind", "level", "description",
        "description_text", "formats", "tags",
    }  # fmt: skip


def test_tree_sends_an_etag_and_revalidates_with_304(seeded, anon):
    first = anon.get("/roadmaps/python-backend")
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "public, no-cache"
    again = anon.get("/roadmaps/python-backend", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    weak = anon.get("/roadmaps/python-backend", headers={"If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    other = anon.get("/roadmaps/python-backend", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.content == first.content


def test_tree_changes_with_a_reimport_and_a_stale_etag_gets_the_new_tree(seeded, anon):
    old = anon.get("/roadmaps/python-backend")
    edited = SEED.read_text(encoding="utf-8").replace("## Step 1: Python", "## Step 1: Python 3")
    catalog_services.roadmap_import(source=edited, slug="python-backend")
    new = anon.get("/roadmaps/python-backend", headers={"If-None-Match": old["ETag"]})
    assert new.status_code == 200 and new["ETag"] != old["ETag"]
    assert "Step 1: Python 3" in [s["title"] for s in new.json()["sections"]]


def test_a_warm_tree_costs_one_query_and_a_revalidation_no_more(
    seeded, anon, django_assert_num_queries
):
    etag = anon.get("/roadmaps/python-backend")["ETag"]
    with django_assert_num_queries(1):
        assert anon.get("/roadmaps/python-backend").status_code == 200
    with django_assert_num_queries(1):
        response = anon.get("/roadmaps/python-backend", headers={"If-None-Match": etag})
        assert response.status_code == 304


def test_markdown_is_the_source_byte_for_byte(seeded, anon):
    response = anon.get("/roadmaps/python-backend/markdown")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content == SEED.read_bytes()
    assert (
        anon.get(
            "/roadmaps/python-backend/markdown", headers={"If-None-Match": response["ETag"]}
        ).status_code
        == 304
    )


def test_document_is_what_learnmap_convert_prints(seeded, anon):
    response = anon.get("/roadmaps/python-backend/document")
    assert response.status_code == 200
    expected = roadmap_md.to_dict(roadmap_md.parse(SEED.read_text(encoding="utf-8")))
    assert response.json() == json.loads(json.dumps(expected))
    assert (
        anon.get(
            "/roadmaps/python-backend/document", headers={"If-None-Match": response["ETag"]}
        ).status_code
        == 304
    )


@pytest.mark.parametrize("suffix", ["", "/markdown", "/document"])
def test_an_unknown_roadmap_is_a_404_problem(seeded, anon, suffix):
    body = assert_problem(anon.get(f"/roadmaps/rust{suffix}"), 404, "unknown_roadmap")
    assert "rust" in body["detail"]


def test_a_slug_that_cannot_be_one_is_refused_with_422(anon, db):
    body = assert_problem(anon.get("/roadmaps/Not_A_Slug"), 422, "invalid_request")
    assert body["errors"][0]["where"] == "path slug"


# --- resources ----------------------------------------------------------------------------------


def _keys(items) -> list[str]:
    return [item["key"] for item in items]


def test_resources_come_in_document_order_with_where_they_are_listed(seeded, anon):
    body = anon.get("/resources", roadmap="python-backend", page_size=100).json()
    expected = resource_list(roadmap=seeded.roadmap)
    assert body["count"] == expected.count() == 85
    assert _keys(body["items"]) == [str(r.key) for r in expected]
    item = next(i for i in body["items"] if i["key"] == str(seeded.resource.key))
    assert item["roadmap"] == "python-backend"
    assert item["node"]["key"] == str(seeded.resource.node.key)


@pytest.mark.parametrize(
    "query, filters",
    [
        ({"language": "Persian"}, ResourceFilters(language=("Persian",))),
        ({"price": "free"}, ResourceFilters(price=("free",))),
        ({"kind": ["Book", "Video"]}, ResourceFilters(kind=("Book", "Video"))),
        (
            {"language": ["English", "Persian"], "price": "paid"},
            ResourceFilters(language=("English", "Persian"), price=("paid",)),
        ),
    ],
)
def test_resources_take_the_sites_filters(seeded, anon, query, filters):
    body = anon.get("/resources", roadmap="python-backend", page_size=100, **query).json()
    expected = [str(r.key) for r in resource_list(roadmap=seeded.roadmap, filters=filters)]
    assert expected, "the seed has resources for this filter"
    assert _keys(body["items"]) == expected and body["count"] == len(expected)


def test_resources_of_one_node_by_slug_or_by_key(seeded, anon):
    expected = [str(r.key) for r in resource_list(node=seeded.django)]
    by_slug = anon.get("/resources", roadmap="python-backend", node="django").json()
    by_key = anon.get("/resources", node=str(seeded.django.key)).json()
    assert _keys(by_slug["items"]) == _keys(by_key["items"]) == expected


def test_a_node_slug_without_its_roadmap_or_of_another_is_not_found(seeded, anon):
    assert_problem(anon.get("/resources", node="django"), 404, "unknown_node")
    assert_problem(anon.get("/resources", roadmap="python-backend", node="nope"), 404)
    assert_problem(anon.get("/resources", roadmap="rust"), 404, "unknown_roadmap")


def test_pages(seeded, anon):
    first = anon.get("/resources", page_size=30).json()
    third = anon.get("/resources", page_size=30, page=3).json()
    assert (first["count"], first["pages"], len(first["items"])) == (85, 3, 30)
    assert len(third["items"]) == 25 and third["page"] == 3
    assert anon.get("/resources", page_size=30, page=9).json()["items"] == []
    everything = [*first["items"], *anon.get("/resources", page_size=30, page=2).json()["items"]]
    assert len({i["key"] for i in [*everything, *third["items"]]}) == 85


@pytest.mark.parametrize(
    "params, where",
    [
        ({"page_size": 101}, "query page_size"),
        ({"page_size": 0}, "query page_size"),
        ({"page": 0}, "query page"),
        ({"q": "x" * 201}, "query q"),
        ({"language": "x" * 101}, "query language.0"),
        ({"language": "a\x00b"}, "query language.0"),
        ({"price": "cheap"}, "query price.0"),
    ],
)
def test_input_limits_are_refused_with_a_sentence(seeded, anon, params, where):
    body = assert_problem(anon.get("/resources", **params), 422, "invalid_request")
    assert body["errors"][0]["where"] == where
    assert body["detail"].startswith("The request was not accepted: ")


def test_search_ranks_resources_as_the_site_does(seeded, anon):
    body = anon.get("/resources", q="django", page_size=100).json()
    site = catalog_search(query="django", limit=1000)
    expected = [str(h.document.key) for h in site.hits if h.document.kind == "resource"]
    assert len(expected) > 5
    assert _keys(body["items"]) == expected and body["count"] == len(expected)


def test_search_with_filters_keeps_the_ranking(seeded, anon):
    ranked = _keys(anon.get("/resources", q="python", page_size=100).json()["items"])
    free = anon.get("/resources", q="python", price="free", page_size=100).json()
    free_keys = {str(r.key) for r in Resource.objects.filter(cost="free")}
    assert _keys(free["items"]) == [k for k in ranked if k in free_keys]
    assert free["items"], "the seed has free python resources"


def test_search_pages_through_the_ranking(seeded, anon):
    whole = _keys(anon.get("/resources", q="python", page_size=100).json()["items"])
    paged = [
        *_keys(anon.get("/resources", q="python", page_size=5).json()["items"]),
        *_keys(anon.get("/resources", q="python", page_size=5, page=2).json()["items"]),
    ]
    assert paged == whole[:10]


def test_search_endpoint_matches_the_site_search_page(seeded, anon):
    body = anon.get("/search", q="django").json()
    site = catalog_search(query="django", limit=20)
    assert body["total"] == site.total
    assert [(h["kind"], h["key"]) for h in body["hits"]] == [
        (h.document.kind, str(h.document.key)) for h in site.hits
    ]
    assert body["hits"][0] == {
        "kind": "node",
        "key": str(seeded.django.key),
        "title": "Django",
        "url": "",
        "score": site.hits[0].score,
        "matched": ["title"],
        "roadmap": "python-backend",
        "roadmap_title": "Python Backend Engineer Roadmap",
        "node": "django",
        "node_title": "Django",
    }


def test_persian_search_text_comes_back_as_utf8(seeded, anon):
    response = anon.get("/search", q="پایتون")
    assert response.status_code == 200
    assert "پایتون".encode() in response.content or response.json()["total"] == 0


def test_search_needs_words(seeded, anon):
    assert_problem(anon.get("/search"), 422, "invalid_request")
    assert_problem(anon.get("/search", q=""), 422)
    assert anon.get("/search", q="!!!").json() == {"query": "!!!", "total": 0, "hits": []}


def test_listings_cost_a_few_queries_whatever_the_page_size(
    seeded, anon, django_assert_max_num_queries
):
    anon.get("/resources", q="python")  # builds the search index once
    with django_assert_max_num_queries(3):  # the roadmap, the count, the page
        assert len(anon.get("/resources", roadmap="python-backend", page_size=100).json()["items"])
    with django_assert_max_num_queries(3):  # the roadmaps' revisions, the filter, the page
        assert anon.get("/resources", q="python", price="free", page_size=100).json()["items"]
    with django_assert_max_num_queries(2):  # the roadmaps (count, page)
        assert anon.get("/roadmaps").json()["count"] == 1
