"""The matching rules one by one (``catalog/identity.py``, ``catalog/matching.py``): pure data,
no database, except the resource pin at the end."""

from __future__ import annotations

import pytest

from learnmap.catalog import services
from learnmap.catalog.identity import url_key, word_overlap
from learnmap.catalog.matching import NodeRecord, match_nodes
from learnmap.catalog.models import Resource
from learnmap.core.errors import ApplicationError


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://dockerme.ir/category/video/", "https://dockerme.ir/category/video"),
        ("https://www.manning.com/books/x", "http://manning.com/books/x"),
        ("https://Example.COM:443/a", "https://example.com/a/"),
        ("http://example.com:80/a", "https://example.com/a"),
        ("https://example.com/a#part-2", "https://example.com/a"),
        ("https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"),
        ("https://example.com/a?id=3&fbclid=q&gclid=z&ref=hn", "https://example.com/a?id=3"),
        ("https://youtu.be/abc?si=share", "https://youtu.be/abc"),
        ("https://example.com/?b=2&a=1", "https://example.com?a=1&b=2"),
    ],
)
def test_links_a_person_calls_the_same_compare_equal(a, b):
    assert url_key(a) == url_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/a", "https://example.com/b"),
        ("https://example.com/a?id=3", "https://example.com/a?id=4"),
        ("https://example.com:8080/a", "https://example.com/a"),
        ("https://example.com/Path", "https://example.com/path"),  # paths keep their case
        ("https://docs.example.com/a", "https://example.com/a"),
        ("mailto:a@example.com", "mailto:b@example.com"),
    ],
)
def test_links_to_other_pages_stay_apart(a, b):
    assert url_key(a) != url_key(b)


def test_a_malformed_link_is_compared_as_written():
    assert url_key("https://example.com:port/a") == "https://example.com:port/a"


def test_title_words():
    assert word_overlap("Caching", "Caching Strategies") == 1.0
    assert word_overlap("Reactive Systems", "Reactive Programming") == 0.5
    assert word_overlap("Where to Go Next?", "Further Reading") == 0.0


def section(ref, title, *, retired=False, urls=()):
    return NodeRecord(
        ref, "section", title.lower().replace(" ", "-"), title, frozenset(urls), retired
    )


def topic(ref, title, parent):
    return NodeRecord(ref, "topic", title.lower(), title, frozenset(), parent=parent)


def test_a_section_renamed_in_other_words_is_found_by_its_topics():
    old = [section(1, "Frameworks"), topic(2, "Sanic", 1), topic(3, "Bottle", 1), section(4, "X")]
    new = [section(0, "Microframeworks Galore"), topic(1, "Sanic", 0), topic(2, "Bottle", 0)]
    matches = match_nodes(new, old)
    assert matches[0] == (1, "children")


def test_neighbours_pair_only_a_single_gap_between_matched_nodes():
    old = [section(i, t) for i, t in enumerate(["A", "B", "C", "D", "E", "F"])]
    # B renamed alone between A and C: paired. D and E renamed side by side: left alone.
    new = [section(i, t) for i, t in enumerate(["A", "Kappa", "C", "Lambda", "Mu", "F"])]
    matches = match_nodes(new, old)
    assert matches[1] == (1, "neighbours")
    assert 3 not in matches and 4 not in matches
    # The last one renamed has a neighbour on one side only: left alone.
    new = [section(i, t) for i, t in enumerate(["A", "B", "C", "D", "E", "Zeta"])]
    assert 5 not in match_nodes(new, old)


def test_a_retired_node_is_not_a_neighbour_candidate():
    old = [section(0, "A"), section(1, "Gone", retired=True), section(2, "B"), section(3, "C")]
    new = [section(0, "A"), section(1, "New"), section(2, "C")]  # B renamed "New"
    assert match_nodes(new, old)[1] == (2, "neighbours")


BASE = """# R

## Books

- [Alpha](https://example.com/alpha) (English) (Free)
- [Beta](https://example.com/beta) (English) (Free)
"""


@pytest.mark.django_db
def test_a_resource_pin_pairs_a_new_title_and_link_with_the_old_item():
    services.roadmap_import(source=BASE, slug="r")
    beta = Resource.objects.get(title="Beta")
    edited = BASE.replace("[Beta](https://example.com/beta)", "[Gamma](https://other.example/g)")
    plan = services.roadmap_import_plan(source=edited, slug="r")
    assert [i.title for i in plan.resources.retired] == ["Beta"]
    services.roadmap_import(source=edited, slug="r", renames=["Beta=Gamma"])
    assert Resource.objects.get(title="Gamma").key == beta.key


@pytest.mark.django_db
def test_a_pin_on_a_title_two_items_share_is_refused():
    text = BASE + "- [Beta](https://example.com/beta2) (English) (Free)\n"
    services.roadmap_import(source=text, slug="r")
    with pytest.raises(ApplicationError, match="'Beta' is the title of 2 items"):
        services.roadmap_import_plan(
            source=text.replace("[Beta](https://example.com/beta)", "[Gamma](https://g.example)"),
            slug="r",
            renames=["Beta=Gamma"],
        )
