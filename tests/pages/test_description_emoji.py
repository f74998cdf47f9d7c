"""GitHub's ``:emoji:`` shortcodes in a description: pages show the emoji, and so do search's
plain text and matching; a shortcode in a code span or a URL, or one GitHub does not know, is
shown as written."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db

LIST = """# Tools

## Launchers

- [liftoff](https://example.com/liftoff) - Ships :rocket: fast, run `:rocket:` to try, \
see https://example.com/:tada:/docs and :no_such_emoji: :+1:
- [glitter](https://example.com/glitter) - Adds :sparkles: to a page.
"""


def _description(page: str, css: str) -> str:
    return re.search(rf'{css}"><bdi>(.*?)</bdi>', page, re.S).group(1)


def test_a_page_shows_the_emoji_of_a_shortcode_and_leaves_code_and_urls_alone():
    catalog_services.roadmap_import(source=LIST, slug="tools")
    shown = _description(
        text_of(Client().get("/r/tools/n/launchers/")), "resource__description small"
    )
    assert shown == (
        "Ships \U0001f680 fast, run <code>:rocket:</code> to try, see "
        "https://example.com/:tada:/docs and :no_such_emoji: \U0001f44d"
    )


def test_search_shows_and_matches_the_description_with_its_emoji():
    catalog_services.roadmap_import(source=LIST, slug="tools")
    page = text_of(Client().get("/search/", {"q": "ships"}))
    shown = _description(page, "search-result__description")
    assert shown.startswith("<mark>Ships</mark> \U0001f680 fast, run :rocket: to try")
    # What is matched is what is shown: the emoji's name is not a word of the description.
    shown = _description(
        text_of(Client().get("/search/", {"q": "page"})), "search-result__description"
    )
    assert shown == "Adds \u2728 to a <mark>page</mark>."
    assert "glitter" not in text_of(Client().get("/search/", {"q": "sparkles"}))
