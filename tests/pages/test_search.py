"""Search across every roadmap: ranked, English and Persian, matches highlighted safely."""

from __future__ import annotations

import re

import pytest

from learnmap.catalog import search
from learnmap.catalog.selectors import catalog_search
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db


def result_titles(page: str) -> list[str]:
    found = re.findall(r'<a class="search-result__title" href="[^"]*"><bdi>(.*?)</bdi></a>', page)
    return [re.sub(r"</?mark>", "", title) for title in found]


def test_results_link_to_the_node_and_anchor_to_the_resource(client, seed):
    page = text_of(client.get("/search/?q=fluent+python"))

    link = re.search(r'<a class="search-result__title" href="([^"]+)"><bdi>(.*?)</bdi>', page)
    resource = seed.resources.get(title="Fluent Python")
    assert link.group(1) == f"/r/python-backend/n/step-1-python/?all=1#r-{resource.key}"
    assert link.group(2) == "<mark>Fluent</mark> <mark>Python</mark>"
    assert 'id="search-count"' in page


def test_a_topic_named_like_the_query_comes_first_then_titles(client, seed):
    titles = result_titles(text_of(client.get("/search/?q=django")))

    assert titles[0] == "Django"  # the topic itself
    assert titles.index("Two Scoops of Django") < titles.index("Django Channels Course")
    assert "Django Chat" in titles  # a podcast, elsewhere in the roadmap


def test_authors_and_descriptions_are_searched(client, seed, persian):
    by_author = result_titles(text_of(client.get("/search/?q=ramalho")))
    assert by_author[:2] == ["Fluent Python", "Fluent Python"]  # in both roadmaps

    described = text_of(client.get("/search/?q=مقدماتی"))
    assert "<mark>مقدماتی</mark>" in described


def test_persian_text_is_found_whatever_the_keyboard(client, persian):
    # Arabic yeh and kaf, as an Arabic keyboard types them, find the Persian letters...
    arabic_keyboard = text_of(client.get("/search/?q=كتاب"))
    assert "كتاب برنامه‌نويسي" in result_titles(arabic_keyboard)
    # ... and the other way round (the file has the Arabic forms here).
    persian_keyboard = result_titles(text_of(client.get("/search/?q=برنامه نویسی")))
    assert "كتاب برنامه‌نويسي" in persian_keyboard
    # Persian digits match ASCII ones and back.
    assert "پایتون ۳ برای همه" in result_titles(text_of(client.get("/search/?q=پایتون 3")))
    # A topic name: the result links to the topic's page.
    topic = text_of(client.get("/search/?q=گیت"))
    assert 'href="/r/persian-backend/n/%DA%AF%DB%8C%D8%AA/"' in topic
    assert "<mark>گیت</mark>" in topic


def test_the_highlight_keeps_the_original_text(client, persian):
    page = text_of(client.get("/search/?q=كتاب"))

    assert "<mark>كتاب</mark>" in page  # the text as written, not its normalised form


def test_an_empty_or_symbol_only_query_is_not_an_error(client, seed):
    assert client.get("/search/?q=").status_code == 200
    page = text_of(client.get("/search/?q=%21%21%21"))
    assert 'id="search-empty"' in page


def test_a_query_is_escaped_where_it_is_repeated(client, seed):
    page = text_of(client.get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E"))

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_search_costs_one_query_when_the_indexes_are_warm(seed, persian, django_assert_num_queries):
    catalog_search(query="python")
    search._memo.clear()  # the shared cache still has them
    with django_assert_num_queries(1):
        results = catalog_search(query="python")
    assert results.total > 10


def test_a_reimport_refreshes_the_index(seed):
    from learnmap.catalog import services
    from tests.pages.conftest import SEED

    assert catalog_search(query="quokka").total == 0
    services.roadmap_import(
        source=SEED.replace("[Pro Git]", "[Pro Git for quokkas]"), slug="python-backend"
    )

    assert catalog_search(query="quokka").total == 1


# --- the pure parts -------------------------------------------------------------------------


def _doc(key: int, **fields: str) -> search.Document:
    return search.Document(
        kind="resource",
        key=str(key),
        roadmap_slug="r",
        roadmap_title="R",
        node_slug="n",
        node_title=fields.get("topic", "n"),
        fields=tuple((name, raw, search.normalise(raw)) for name, raw in fields.items()),
    )


def test_ranking_title_then_topic_then_author_then_description():
    index = search.RoadmapIndex(
        roadmap_id=1,
        revision_stamp="1",
        documents=(
            _doc(1, title="Intro", description="all about redis"),
            _doc(2, title="Intro", author="Redis Labs"),
            _doc(3, title="Intro", topic="Redis"),
            _doc(4, title="Redis in Action"),
            _doc(5, title="Redistribution"),  # a prefix
            _doc(6, title="Intro", description="nothing here"),
            _doc(7, title="Myredis"),  # inside a word
        ),
    )

    results = search.search_indexes(indexes=[index], query=search.Query.parse("redis"))

    # The field first (title, topic, author, description), then whole word, prefix, inside.
    assert [int(hit.document.key) for hit in results.hits] == [4, 5, 7, 3, 2, 1]
    assert results.total == 6


def test_every_word_must_match_somewhere():
    index = search.RoadmapIndex(
        roadmap_id=1,
        revision_stamp="1",
        documents=(_doc(1, title="Redis", author="Ann"), _doc(2, title="Redis")),
    )

    results = search.search_indexes(indexes=[index], query=search.Query.parse("redis ann"))

    assert [int(hit.document.key) for hit in results.hits] == [1]


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Django REST", "django rest"),
        ("Café", "cafe"),
        ("كتاب", "کتاب"),  # Arabic kaf, Persian keheh
        ("برنامه‌نويسي", "برنامه نویسی"),  # ZWNJ and Arabic yeh
        ("پايتون ۳ و ٣", "پایتون 3 و 3"),
        ("عِلْمٌ", "علم"),  # tashkeel
        ("کـــتاب", "کتاب"),  # tatweel
        ("آموزش", "اموزش"),
    ],
)
def test_normalise(text, normalised):
    assert search.normalise(text) == normalised


def test_highlight_escapes_then_marks():
    query = search.Query.parse("img")

    assert str(search.highlight("<img src=x>", query)) == "&lt;<mark>img</mark> src=x&gt;"


def test_highlight_maps_matches_back_through_normalisation():
    query = search.Query.parse("نویسی")

    marked = str(search.highlight("برنامه‌نويسيِ خوب", query))

    assert marked == "برنامه‌<mark>نويسيِ</mark> خوب"  # the kasra comes along
