"""A learner sees each resource's formats ("PDF", "EPUB") and its other tags as the list wrote
them ("Chapter 3", "繁体中文 only") beside its languages and price, on the topic page and the
resources page, isolated from the page's direction (a Persian page is right to left)."""

from __future__ import annotations

import pytest
from django.test import Client

from learnmap.accounts import services as account_services
from learnmap.catalog import services
from learnmap.catalog.models import Resource
from learnmap.learning import services as learning_services
from tests.api.conftest import Api
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

SOURCE = (
    "# Reading\n\n## Python\n\n### Books\n\n"
    "- [Think Python](https://example.com/think) (PDF) (EPUB) (English) (Free)\n"
    "- [Python 教程](https://example.com/zh) (繁体中文) (Chapter 3)\n"
    "- [Go 语言圣经](https://example.com/gopl-zh) (繁体中文 only)\n"
    "- [Draft](https://example.com/draft) (<i>draft</i>)\n"
)
PAGES = ["/r/reading/n/books/", "/r/reading/resources/"]


@pytest.fixture
def reading(db) -> None:
    services.roadmap_import(source=SOURCE, slug="reading")


def badges(html: str, url: str) -> str:
    """The details shown with the resource that links to ``url`` (its badges)."""
    key = Resource.objects.get(url=url).key
    item = html.split(f'id="r-{key}"', 1)[1]
    return item.split('class="cluster resource__badges"', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("path", PAGES)
def test_formats_and_tags_are_shown_with_each_resource(reading, client, path):
    html = client.get(path).content.decode()
    think = badges(html, "https://example.com/think")
    assert ">PDF<" in think and ">EPUB<" in think
    assert ">English<" in think  # beside what was shown before
    assert "Chapter 3" not in think
    assert "<bdi>Chapter 3</bdi>" in badges(html, "https://example.com/zh")
    assert "<bdi>繁体中文 only</bdi>" in badges(html, "https://example.com/gopl-zh")
    # Written by the list, so escaped like everything else from a file.
    draft = badges(html, "https://example.com/draft")
    assert "&lt;i&gt;draft&lt;/i&gt;" in draft and "<i>draft" not in draft


@pytest.mark.parametrize("path", PAGES)
def test_a_chinese_tag_keeps_its_own_direction_on_a_persian_page(reading, client, path):
    html = client.get(path, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="rtl"' in html.split(">", 2)[1]  # the page is right to left
    assert "<bdi>繁体中文 only</bdi>" in badges(html, "https://example.com/gopl-zh")
    assert "<bdi>Chapter 3</bdi>" in badges(html, "https://example.com/zh")


def listed_urls(html: str) -> set[str]:
    return {url for url in SOURCE_URLS if f'href="{url}"' in html}


SOURCE_URLS = ("https://example.com/think", "https://example.com/zh", "https://example.com/draft")


@pytest.mark.parametrize("path", PAGES)
def test_the_format_filter_narrows_the_list_to_a_format(reading, client, path):
    html = client.get(path).content.decode()
    assert 'name="format" value="PDF"' in html and 'name="format" value="EPUB"' in html
    narrowed = client.get(path, {"format": "EPUB"}).content.decode()
    assert listed_urls(narrowed) == {"https://example.com/think"}
    persian = client.get(path, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "<legend>قالب</legend>" in persian  # "Format"


def test_the_api_narrows_resources_to_a_format(reading, client):
    found = client.get("/api/v1/resources", {"roadmap": "reading", "format": "PDF"}).json()
    assert [item["url"] for item in found["items"]] == ["https://example.com/think"]


def test_a_saved_format_filter_survives_an_export_and_an_import(reading):
    ada = UserFactory()
    learning_services.preferences_filters_set(user=ada, filters={"format": ["PDF"]})
    api = Api(Client(), account_services.token_create(user=ada, name="t").secret)
    exported = api.get("/me/export").json()
    assert exported["preferences"]["default_filters"] == {"format": ["PDF"]}

    grace = UserFactory()
    other = Api(Client(), account_services.token_create(user=grace, name="t").secret)
    result = other.post("/me/import", exported)
    assert result.status_code == 200, result.content
    assert other.get("/me/export").json()["preferences"]["default_filters"] == {"format": ["PDF"]}
