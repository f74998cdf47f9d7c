"""A 3,000-resource list (issue 12): its pages stay light and everything on them still works.

The roadmap is ``tests/catalog/large_roadmap.py`` at ``SIZES[3000]`` (20 sections of 10 topics
of 15 resources, every fifth one Persian), and an awesome-list-style file whose one section
holds 1,000 resources. Sizes are asserted (a user on a slow line notices them); times are
printed by ``bench/web/bench_big_list.py``, never asserted.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Resource, Roadmap
from tests.catalog.large_roadmap import SIZES, WORDS, large_roadmap
from tests.pages.conftest import csrf_from, text_of

HTMX = {"HTTP_HX_REQUEST": "true"}
ROADMAP_PAGE_MAX = 150_000
RESOURCES_PAGE_MAX = 300_000
PAGE = "/r/big/resources/"


@pytest.fixture
def big(db) -> Roadmap:
    catalog_services.roadmap_import(source=large_roadmap(SIZES[3000]), slug="big")
    return Roadmap.objects.get(slug="big")


def flat_list(big_section: int = 1_000) -> str:
    lines = ["# Awesome Big", "", "A curated list.", "", "## Things", ""]
    lines += [
        f"- [thing-{n}](https://github.com/a/thing-{n}) - Does {n}." for n in range(big_section)
    ]
    lines += ["", "## Others", "", "- [other](https://github.com/a/other) - The other.", ""]
    return "\n".join(lines)


@pytest.fixture
def flat(db) -> Roadmap:
    catalog_services.roadmap_import(source=flat_list(), slug="flat")
    return Roadmap.objects.get(slug="flat")


def title_of(number: int) -> str:
    """The title ``large_roadmap`` gives its resource ``number`` (150 a section)."""
    return f"{WORDS[(number // 150) % len(WORDS)]} {number}"


def titles(page: str) -> list[str]:
    """The titles of the resources listed on a page, in order."""
    return re.findall(r'class="resource__title"[^>]*><bdi>([^<]+)</bdi>', page)


def link(page: str, link_id: str) -> str:
    match = re.search(rf'<a [^>]*href="([^"]*)" id="{link_id}"', page)
    assert match, f"no link #{link_id} on the page"
    return match.group(1).replace("&amp;", "&").split("#")[0]


def done_button(page: str, title: str) -> dict[str, str]:
    """The attributes of the "done" button of the resource titled ``title``."""
    match = re.search(rf'<button [^>]*aria-label="Done: {re.escape(title)}"[^>]*>', page)
    assert match, f"no done button for {title!r}"
    return dict(re.findall(r'([\w-]+)="([^"]*)"', match.group(0)))


def click_done(client: Client, page: str, title: str, **extra):
    """What a click on a resource's "done" button sends, with or without htmx: the list
    form's fields and the button's name and value, to the button's address."""
    form = re.search(r'<form id="resource-list".*?</form>', page, re.S)
    assert form, "no resource list form on the page"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(0)))
    fields = {name: value.replace("&amp;", "&") for name, value in fields.items()}
    clicked = done_button(form.group(0), title)
    fields[clicked["name"]] = clicked["value"]
    return client.post(clicked["formaction"], fields, **extra)


# --- the roadmap page --------------------------------------------------------------------------


def test_the_roadmap_page_of_a_big_list_is_light_and_shows_every_section(client, big):
    page = text_of(client.get("/r/big/"))

    assert len(page.encode()) < ROADMAP_PAGE_MAX
    sections = big.nodes.filter(parent=None, retired_at=None).exclude(kind="text")
    assert sections.count() == 20
    for section in sections:
        assert f'id="outline-{section.slug}"' in page
        assert f'href="/r/big/n/{section.slug}/"' in page
    # each section's topics are counted, with the way to them
    assert page.count("10 topics: open the section to track them") == 20


def test_a_section_of_a_big_list_lists_its_topics_with_their_controls(client, big):
    page = text_of(client.get("/r/big/n/step-0-python/"))

    for t in range(10):
        assert f'id="state-python-0{t}-done"' in page
    assert len(page.encode()) < RESOURCES_PAGE_MAX


# --- the all-resources page -----------------------------------------------------------------------


def test_all_resources_are_paged_and_the_next_link_shows_the_next_ones(client, big):
    first = text_of(client.get(PAGE))

    assert len(first.encode()) < RESOURCES_PAGE_MAX
    assert "Page 1 of 30" in first
    assert titles(first)[0] == "Python 0" and len(titles(first)) == 100
    second = text_of(client.get(PAGE + link(first, "page-next")))
    assert len(second.encode()) < RESOURCES_PAGE_MAX
    assert "Page 2 of 30" in second
    assert "Resources 101–200 of 3000." in second  # noqa: RUF001
    assert titles(second) == [title_of(n) for n in range(100, 200)]
    assert PAGE + link(second, "page-previous") in (PAGE, PAGE + "?")
    last = text_of(client.get(PAGE + link(second, "page-last")))
    assert "Page 30 of 30" in last and 'id="page-next"' not in last


def test_the_pager_is_a_labelled_navigation_of_links(client, big):
    page = text_of(client.get(PAGE + "?page=2"))

    nav = re.search(
        r'<nav class="pager[^"]*" aria-label="([^"]+)" id="resource-pages">(.*?)</nav>', page, re.S
    )
    assert nav and nav.group(1) == "Pages"
    # links (keyboard-reachable), the current page said in words
    assert re.findall(r'<a [^>]*id="(page-[a-z]+)"', nav.group(2)) == [
        "page-previous",
        "page-next",
        "page-last",
    ]
    assert "Page 2 of 30" in nav.group(2)


def test_filters_survive_paging(client, big):
    first = text_of(client.get(PAGE + "?all=1&language=Persian"))

    assert "Page 1 of 6" in first  # every fifth resource is in Persian
    second = text_of(client.get(PAGE + link(first, "page-next")))
    assert "Page 2 of 6" in second
    assert 'id="filter-language-persian" checked' in second
    items = re.findall(r'<li class="resource" .*?</button></li>', second, re.S)
    assert len(items) == 100
    assert all(">Persian</span>" in item for item in items)
    assert titles(second)[0] == title_of(500)  # the 101st Persian one


def test_a_page_past_the_last_shows_the_last(client, big):
    page = text_of(client.get(PAGE + "?page=999"))

    assert "Page 30 of 30" in page
    assert titles(page)[-1] == title_of(2999)


def test_the_resource_list_is_one_form_not_one_per_resource(client, big):
    page = text_of(client.get(PAGE))

    assert page.count("<form") <= 5  # the list's, the filters', the header's
    assert page.count('name="csrfmiddlewaretoken"') <= 3
    assert page.count('class="btn btn--small check-btn"') == 100


# --- marking done on a later page -------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_marking_done_on_page_2_without_js_returns_to_page_2(who, big, user):
    client = Client()
    if who == "signed_in":
        client.force_login(user)
    address = PAGE + "?all=1&language=Persian&page=2"
    page = text_of(client.get(address))
    title = titles(page)[3]
    assert done_button(page, title)["aria-pressed"] == "false"

    response = click_done(client, page, title)

    key = Resource.objects.get(roadmap=big, title=title).key
    assert response.status_code == 302
    assert response["Location"] == f"{address}#r-{key}"
    again = text_of(client.get(address))
    assert done_button(again, title)["aria-pressed"] == "true"
    assert done_button(again, titles(again)[4])["aria-pressed"] == "false"
    # and back: not done
    click_done(client, again, title)
    assert done_button(text_of(client.get(address)), title)["aria-pressed"] == "false"


def test_marking_done_with_htmx_swaps_the_button(signed_in, big):
    address = PAGE + "?page=2"
    page = text_of(signed_in.get(address))
    title = titles(page)[0]

    fragment = text_of(click_done(signed_in, page, title, **HTMX))

    key = Resource.objects.get(roadmap=big, title=title).key
    assert re.search(
        rf'<button [^>]*id="res-{key}-done" aria-pressed="true"[^>]*hx-swap-oob="true"', fragment
    )
    assert f"Marked “{title}” as done." in fragment
    assert done_button(text_of(signed_in.get(address)), title)["aria-pressed"] == "true"


def test_the_shared_list_shows_each_learner_their_own_marks(big, user):
    me = Client()
    me.force_login(user)
    someone = Client()
    page = text_of(me.get(PAGE))
    click_done(me, page, "Python 7")
    click_done(someone, text_of(someone.get(PAGE)), "Python 8")

    mine, theirs, nobody = (text_of(c.get(PAGE)) for c in (me, someone, Client()))

    assert done_button(mine, "Python 7")["aria-pressed"] == "true"
    assert done_button(mine, "Python 8")["aria-pressed"] == "false"
    assert done_button(theirs, "Python 8")["aria-pressed"] == "true"
    assert done_button(theirs, "Python 7")["aria-pressed"] == "false"
    assert 'aria-pressed="true"' not in nobody


def test_a_warm_page_reads_no_resource(client, big, django_assert_max_num_queries):
    client.get(PAGE + "?page=3")

    with django_assert_max_num_queries(3):
        page = text_of(client.get(PAGE + "?page=3"))
    assert "Page 3 of 30" in page and len(titles(page)) == 100


def test_persian_pages_of_a_big_list(client, big):
    page = text_of(client.get(PAGE + "?page=2", HTTP_ACCEPT_LANGUAGE="fa"))

    assert 'dir="rtl"' in page
    assert "Page 2 of 30" not in page  # said in Persian
    assert 'id="page-next"' in page and len(titles(page)) == 100
    assert len(page.encode()) < RESOURCES_PAGE_MAX
    roadmap_page = text_of(client.get("/r/big/", HTTP_ACCEPT_LANGUAGE="fa"))
    assert len(roadmap_page.encode()) < ROADMAP_PAGE_MAX


# --- a node page holding 1,000 resources ---------------------------------------------------------


def test_a_section_of_1000_resources_is_paged(client, flat):
    first = text_of(client.get("/r/flat/n/things/"))

    assert len(first.encode()) < RESOURCES_PAGE_MAX
    assert "Resources 1–100 of 1000." in first  # noqa: RUF001
    assert titles(first) == [f"thing-{n}" for n in range(100)]
    second = text_of(client.get("/r/flat/n/things/" + link(first, "page-next")))
    assert titles(second) == [f"thing-{n}" for n in range(100, 200)]
    assert "Page 2 of 10" in second
    # the rest of the node page is still there
    assert 'id="note-text"' in second and 'id="propose-resource"' in second


def test_marking_done_on_a_node_page_2_returns_there(client, flat):
    address = "/r/flat/n/things/?page=2"
    page = text_of(client.get(address))
    csrf_from(page)  # the list form carries the token

    response = click_done(client, page, "thing-150")

    assert response["Location"].startswith(address + "#r-")
    assert done_button(text_of(client.get(address)), "thing-150")["aria-pressed"] == "true"


def test_a_search_result_on_a_later_page_opens_that_page(client, flat):
    page = text_of(client.get("/search/?q=thing-250"))
    key = Resource.objects.get(roadmap=flat, title="thing-250").key

    found = re.search(rf'href="([^"]*#r-{key})"', page)
    assert found, "the search does not link to the resource"
    shown = text_of(client.get(found.group(1).replace("&amp;", "&")))
    assert "Page 3 of 10" in shown
    assert f'id="r-{key}"' in shown
