"""A resource's description is inline Markdown in the roadmap's file (awesome lists write
`code`, *emphasis* and "([Demo](...))" in them): pages show it rendered and sanitised, search
shows and matches it as plain text; no raw Markdown syntax reaches a learner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from learnmap.catalog import services as catalog_services
from tests.pages.conftest import text_of

pytestmark = pytest.mark.django_db

LIST = """# Tools

## Packaging

- [pipx](https://example.com/pipx) - Install `CLI` tools in *isolated* environments ([Demo](https://example.com/demo)).
- [Evil](https://example.com/evil) - <script>alert(1)</script> and [a trap](javascript:alert(2)).
"""

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "awesome-python.md"


def descriptions(page: str) -> list[str]:
    return re.findall(r'<p class="resource__description small"><bdi>(.*?)</bdi></p>', page, re.S)


def test_a_description_is_rendered_as_inline_markdown_and_sanitised():
    catalog_services.roadmap_import(source=LIST, slug="tools")
    page = text_of(Client().get("/r/tools/n/packaging/"))
    first, second = descriptions(page)
    assert first == (
        "Install <code>CLI</code> tools in <em>isolated</em> environments "
        '(<a href="https://example.com/demo" rel="noopener noreferrer nofollow">Demo</a>).'
    )
    assert "<script>" not in second and "&lt;script&gt;alert(1)&lt;/script&gt;" in second
    assert "javascript:" not in re.sub(r"\[a trap\]\(javascript:alert\(2\)\)", "", second)
    assert 'href="javascript' not in page


def test_search_shows_and_matches_a_description_as_plain_text():
    catalog_services.roadmap_import(source=LIST, slug="tools")
    page = text_of(Client().get("/search/", {"q": "isolated"}))
    shown = re.search(r'search-result__description"><bdi>(.*?)</bdi>', page, re.S).group(1)
    assert "`" not in shown and "*" not in shown and "](" not in shown
    assert "<mark>isolated</mark>" in shown and "Demo" in shown


def test_no_description_of_a_real_awesome_list_shows_raw_markdown():
    if not CORPUS.is_file():
        pytest.skip("the corpus is not here")
    catalog_services.roadmap_import(source=CORPUS.read_text(encoding="utf-8"), slug="py")
    page = text_of(Client().get("/r/py/resources/"))
    shown = descriptions(page)
    assert len(shown) > 50
    for text in shown:
        visible = re.sub(r"<[^>]+>", "", text)  # what a reader sees of it
        assert "`" not in visible and "](" not in visible and "**" not in visible, text
