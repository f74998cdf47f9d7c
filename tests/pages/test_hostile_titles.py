"""Titles that hold the private-use characters U+E000 and U+E001 (what the outline's cached
skeletons once used as slot markers, audit issue 9 item 3): the roadmap page, the node page and
a change's htmx answer still answer 200 for every visitor, cold and warm, show those titles as
written and everything else as usual."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from learnmap.catalog.models import Node, Roadmap
from tests.pages.conftest import (
    click_in_outline,
    csrf_from,
    overall,
    pressed,
    text_of,
    without_token,
)

pytestmark = pytest.mark.django_db

OPEN, CLOSE = "\ue000", "\ue001"
PAGE = "/r/hostile/"

# Where content reaches the page: the roadmap's title, a step section, a topic, an elective
# section (its button's label), a resource and an intro. Lone markers, both, both around what
# a slot once looked like ("<node id>.<name>"), and the other way round.
ROADMAP_TITLE = f"Hostile {OPEN}Roadmap{CLOSE}"
SECTION = f"Step 0: Open {OPEN} only"
TOPIC = f"Topic {OPEN}1.icon{CLOSE} shaped"
OTHER_TOPIC = f"Close {CLOSE} only"
ELECTIVE = f"Elective {OPEN}999999.el_label{CLOSE}"
ELECTIVE_TOPIC = f"Backwards {CLOSE}2.badges{OPEN}"
RESOURCE = f"Book {OPEN}3.state_label{CLOSE}"
INTRO = f"Read these {OPEN}first{CLOSE}."
TITLES = (ROADMAP_TITLE, SECTION, TOPIC, OTHER_TOPIC, ELECTIVE, ELECTIVE_TOPIC)

SOURCE = f"""# {ROADMAP_TITLE}

## {SECTION}

{INTRO}

- ### {TOPIC}
  - [{RESOURCE} by Someone](https://example.com/book) (English) (Free)

- ### {OTHER_TOPIC}
  - [Plain resource](https://example.com/plain) (English)

## Step 1: Plain step

- [Another plain resource](https://example.com/other) (English)

## Hands-on Experience

Choose topics that you are interested in.

## {ELECTIVE}

- ### {ELECTIVE_TOPIC}
  - [Elective resource](https://example.com/elective) (English)
"""


@pytest.fixture
def hostile(db) -> Roadmap:
    catalog_services.roadmap_import(source=SOURCE, slug="hostile")
    return Roadmap.objects.get(slug="hostile")


def node(roadmap: Roadmap, title: str) -> Node:
    return Node.objects.get(roadmap=roadmap, title=title)


def shown(page: str) -> str:
    """The page's text as a browser reads it (character references resolved)."""
    return html.unescape(page)


def assert_whole_page(response, *, done: str | None = None) -> str:
    assert response.status_code == 200
    page = text_of(response)
    text = shown(page)
    for title in TITLES:
        assert title in text, title
    assert "Step 1: Plain step" in text
    # Every section and topic has its row, with its state buttons filled in.
    assert len(re.findall(r'class="outline__section ', page)) == 3
    assert len(re.findall(r'class="outline__row outline__topic"', page)) == 3
    assert page.count('aria-pressed="true"') == 4  # a state on each leaf row: 2 + 1 + 1
    assert "learnmap-slot" not in page  # every slot filled
    assert overall(page).startswith("1 of" if done else "0 of")
    if done is not None:
        assert pressed(page, f"state-{done}-done")
    return page


@pytest.mark.parametrize("visitor", ["anonymous", "signed_in"])
def test_the_roadmap_page_shows_hostile_titles_cold_and_warm(hostile, user, visitor):
    client = Client()
    if visitor == "signed_in":
        client.force_login(user)

    cold = assert_whole_page(client.get(PAGE))
    warm = assert_whole_page(client.get(PAGE))

    assert without_token(warm) == without_token(cold)
    assert OPEN in cold  # the characters themselves, not something else in their place


def test_a_learner_with_progress_gets_their_page_from_warm_skeletons(hostile, signed_in):
    """An anonymous visit stores the outline's skeletons; a learner's page fills them."""
    assert_whole_page(Client().get(PAGE))
    topic = node(hostile, TOPIC)

    assert signed_in.post(f"/node/{topic.key}/state/", {"state": "done"}).status_code == 302
    signed_in.get(PAGE)  # the message is shown once: rendered for this request
    stored = assert_whole_page(signed_in.get(PAGE), done=topic.slug)

    assert f"{TOPIC}”: done" not in shown(stored)  # the message is gone
    assert assert_whole_page(signed_in.get(PAGE), done=topic.slug) == stored


def test_a_change_answered_for_htmx_shows_the_hostile_row(hostile, any_client):
    page = text_of(any_client.get(PAGE))
    topic = node(hostile, TOPIC)

    answer = click_in_outline(any_client, page, f"state-{topic.slug}-done", HTTP_HX_REQUEST="true")

    assert answer.status_code == 200
    assert TOPIC in shown(text_of(answer))
    assert pressed(text_of(answer), f"state-{topic.slug}-done")
    after = text_of(any_client.get(PAGE))
    assert pressed(after, f"state-{topic.slug}-done")
    assert SECTION in shown(after)


def test_choosing_a_hostile_elective_works(hostile, any_client):
    page = text_of(any_client.get(PAGE))
    elective = node(hostile, ELECTIVE)

    answer = click_in_outline(any_client, page, f"elective-{elective.slug}")

    assert answer.status_code == 302
    after = text_of(any_client.get(PAGE))
    assert f"Drop “{ELECTIVE}” from my progress" in shown(after)


def test_the_node_and_resources_pages_show_hostile_titles(hostile, any_client):
    section = node(hostile, SECTION)

    page = any_client.get(f"/r/hostile/n/{section.slug}/")
    resources = any_client.get("/r/hostile/resources/")

    assert page.status_code == 200 and resources.status_code == 200
    assert SECTION in shown(text_of(page)) and INTRO in shown(text_of(page))
    assert RESOURCE in shown(text_of(resources))


def test_a_title_like_the_csrf_placeholder_is_shown_as_written(db):
    """The cached page once put each visitor's CSRF token in place of a fixed placeholder
    word: a title holding that word showed the visitor's token instead."""
    word = "learnmapcsrftokenplaceholder0000"
    catalog_services.roadmap_import(source=SOURCE, slug="plain")
    source = SOURCE.replace(OTHER_TOPIC, f"Topic {word}")
    catalog_services.roadmap_import(source=source, slug="hostile")

    for visitor in (Client(), Client()):  # the one who renders it, the one served from cache
        page = text_of(visitor.get(PAGE))
        assert f"Topic {word}" in page
        plain = text_of(visitor.get("/r/plain/"))
        # The token only where the forms want it: as many times as on another roadmap's page.
        assert page.count(csrf_from(page)) == plain.count(csrf_from(plain)) > 0
